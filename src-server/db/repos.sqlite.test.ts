import { describeRepositories } from "../test-support/repo-suite";
import { openSqliteTestDb } from "../test-support/test-db";

describeRepositories("SQLite (better-sqlite3)", openSqliteTestDb);
