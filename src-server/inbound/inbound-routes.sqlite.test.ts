import { openSqliteTestDb } from "../test-support/test-db";
import { describeInboundRoutes } from "../test-support/inbound-routes-suite";

describeInboundRoutes("SQLite (better-sqlite3)", openSqliteTestDb);
