import { openSqliteTestDb } from "../test-support/test-db";
import { describeTransferRoutes } from "../test-support/transfer-routes-suite";

describeTransferRoutes("SQLite (better-sqlite3)", openSqliteTestDb);
