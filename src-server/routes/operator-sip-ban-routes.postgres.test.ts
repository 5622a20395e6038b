import { migratedPostgresDatabases } from "../test-support/postgres-databases";
import { describeSipBanRoutes } from "../test-support/sip-ban-routes-suite";

describeSipBanRoutes("PostgreSQL", migratedPostgresDatabases());
