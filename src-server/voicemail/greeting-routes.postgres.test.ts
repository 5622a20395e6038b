import { migratedPostgresDatabases } from "../test-support/postgres-databases";
import { describeVoicemailRoutes } from "../test-support/voicemail-routes-suite";

describeVoicemailRoutes("PostgreSQL", migratedPostgresDatabases());
