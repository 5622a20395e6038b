import { migratedPostgresDatabases } from "../test-support/postgres-databases";
import { describeVoicemailMail } from "../test-support/voicemail-mail-suite";

describeVoicemailMail("PostgreSQL", migratedPostgresDatabases());
