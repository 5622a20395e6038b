import { migratedPostgresDatabases } from "../test-support/postgres-databases";
import { describeDialerRoutes } from "../test-support/dialer-routes-suite";

describeDialerRoutes("PostgreSQL", migratedPostgresDatabases());
