import { openSqliteTestDb } from "../test-support/test-db";
import { describeVoicemailMail } from "../test-support/voicemail-mail-suite";

describeVoicemailMail("SQLite (better-sqlite3)", openSqliteTestDb);
