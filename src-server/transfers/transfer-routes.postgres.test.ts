import { migratedPostgresDatabases } from "../test-support/postgres-databases";
import { describeTransferRoutes } from "../test-support/transfer-routes-suite";

describeTransferRoutes("PostgreSQL", migratedPostgresDatabases());
