import { describeImports } from "../test-support/imports-suite";
import { migratedPostgresDatabases } from "../test-support/postgres-databases";

describeImports("PostgreSQL", migratedPostgresDatabases());
