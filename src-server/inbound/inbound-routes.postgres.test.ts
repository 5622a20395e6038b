import { migratedPostgresDatabases } from "../test-support/postgres-databases";
import { describeInboundRoutes } from "../test-support/inbound-routes-suite";

describeInboundRoutes("PostgreSQL", migratedPostgresDatabases());
