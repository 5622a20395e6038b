import { migratedPostgresDatabases } from "../test-support/postgres-databases";
import { describeCoachingRoutes } from "../test-support/coaching-routes-suite";

describeCoachingRoutes("PostgreSQL", migratedPostgresDatabases());
