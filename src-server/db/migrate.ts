import type { Knex } from "knex";
import * as companiesUsers from "./migrations/0001_companies_users";
import * as sessions from "./migrations/0002_sessions";
import * as changes from "./migrations/0003_changes";
import * as callerSettings from "./migrations/0004_caller_settings";
import * as pbxEndpoints from "./migrations/0005_pbx_endpoints";
import * as calls from "./migrations/0006_calls";
import * as verifications from "./migrations/0007_verifications";
import * as credits from "./migrations/0008_credits";
import * as invitations from "./migrations/0009_invitations";
import * as callOutcomes from "./migrations/0010_call_outcomes";
import * as recordings from "./migrations/0011_recordings";
import * as crm from "./migrations/0012_crm";
import * as recordingUploads from "./migrations/0013_recording_uploads";
import * as syncEdits from "./migrations/0014_sync_edits";
import * as verificationExtension from "./migrations/0015_verification_extension";
import * as operators from "./migrations/0016_operators";
import * as pbxLoss from "./migrations/0018_pbx_loss";
import * as sipBans from "./migrations/0019_sip_bans";
import * as signInThrottle from "./migrations/0020_sign_in_throttle";
import * as tariffPending from "./migrations/0022_tariff_pending";
import * as outcomeKeys from "./migrations/0023_outcome_keys";
import * as words from "./migrations/0024_words";
import * as creditReservations from "./migrations/0025_credit_reservations";
import * as loadTestEndpoints from "./migrations/0026_load_test_endpoints";
import * as callingHours from "./migrations/0027_calling_hours";
import * as inbound from "./migrations/0028_inbound";
import * as voicemail from "./migrations/0029_voicemail";
import * as callTransfers from "./migrations/0030_call_transfers";
import * as coaching from "./migrations/0031_coaching";
import * as teammateConsults from "./migrations/0032_teammate_consults";
import * as transferUsers from "./migrations/0033_transfer_users";
import * as voicemailEmail from "./migrations/0034_voicemail_email";
import * as transferredCalls from "./migrations/0035_transferred_calls";
import * as inboundCallIds from "./migrations/0036_inbound_call_ids";

interface NamedMigration {
  name: string;
  migration: Knex.Migration;
}

/** Listed here, not found by scanning a directory: the server is bundled with esbuild. Append only. */
export const migrations: readonly NamedMigration[] = [
  { name: "0001_companies_users", migration: companiesUsers },
  { name: "0002_sessions", migration: sessions },
  { name: "0003_changes", migration: changes },
  { name: "0004_caller_settings", migration: callerSettings },
  { name: "0005_pbx_endpoints", migration: pbxEndpoints },
  { name: "0006_calls", migration: calls },
  { name: "0007_verifications", migration: verifications },
  { name: "0008_credits", migration: credits },
  { name: "0009_invitations", migration: invitations },
  { name: "0010_call_outcomes", migration: callOutcomes },
  { name: "0011_recordings", migration: recordings },
  { name: "0012_crm", migration: crm },
  { name: "0013_recording_uploads", migration: recordingUploads },
  { name: "0014_sync_edits", migration: syncEdits },
  { name: "0015_verification_extension", migration: verificationExtension },
  { name: "0016_operators", migration: operators },
  { name: "0018_pbx_loss", migration: pbxLoss },
  { name: "0019_sip_bans", migration: sipBans },
  { name: "0020_sign_in_throttle", migration: signInThrottle },
  { name: "0022_tariff_pending", migration: tariffPending },
  { name: "0023_outcome_keys", migration: outcomeKeys },
  { name: "0024_words", migration: words },
  { name: "0025_credit_reservations", migration: creditReservations },
  { name: "0026_load_test_endpoints", migration: loadTestEndpoints },
  { name: "0027_calling_hours", migration: callingHours },
  { name: "0028_inbound", migration: inbound },
  { name: "0029_voicemail", migration: voicemail },
  { name: "0030_call_transfers", migration: callTransfers },
  { name: "0031_coaching", migration: coaching },
  { name: "0032_teammate_consults", migration: teammateConsults },
  { name: "0033_transfer_users", migration: transferUsers },
  { name: "0034_voicemail_email", migration: voicemailEmail },
  { name: "0035_transferred_calls", migration: transferredCalls },
  { name: "0036_inbound_call_ids", migration: inboundCallIds },
];

export const migrationSource: Knex.MigrationSource<NamedMigration> = {
  getMigrations: () => Promise.resolve([...migrations]),
  getMigrationName: (m) => m.name,
  getMigration: (m) => Promise.resolve(m.migration),
};

/** Runs what has not run yet; returns the names it ran (none when already current). */
export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, ran] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return ran;
}
