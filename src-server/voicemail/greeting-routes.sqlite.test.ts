import { openSqliteTestDb } from "../test-support/test-db";
import { describeVoicemailRoutes } from "../test-support/voicemail-routes-suite";

describeVoicemailRoutes("SQLite (better-sqlite3)", openSqliteTestDb);
