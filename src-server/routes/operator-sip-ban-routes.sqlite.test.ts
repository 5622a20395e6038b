import { describeSipBanRoutes } from "../test-support/sip-ban-routes-suite";
import { openSqliteTestDb } from "../test-support/test-db";

describeSipBanRoutes("SQLite (better-sqlite3)", openSqliteTestDb);
