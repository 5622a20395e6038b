import { describeImports } from "../test-support/imports-suite";
import { openSqliteTestDb } from "../test-support/test-db";

describeImports("SQLite (better-sqlite3)", openSqliteTestDb);
