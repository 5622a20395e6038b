import { openSqliteTestDb } from "../test-support/test-db";
import { describeCoachingRoutes } from "../test-support/coaching-routes-suite";

describeCoachingRoutes("SQLite (better-sqlite3)", openSqliteTestDb);
