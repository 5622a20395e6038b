import type { Knex } from "knex";
import { findVoicemailCall, insertVoicemailEmails, usersOfNumber, voicemailMailUserIds } from "./voicemail-mail-repo";

/**
 * Inside the transaction that stores a call's recording: when the call is a
 * voicemail, one outbox row per person the number routes to (its user, or every
 * member of its ring group), or for the teammate a call was transferred to,
 * who is still active and has not turned the email off.
 * The recording row is made once, and so are these: a re-ingest finds both.
 */
export async function enqueueVoicemailEmails(trx: Knex.Transaction, recording: { id: number; callId: number }, now: number): Promise<number> {
  const call = await findVoicemailCall(trx, recording.callId);
  if (call === undefined || call.direction !== "inbound" || !call.voicemail) return 0;
  // Left after a transfer to a teammate: for that teammate alone, whatever number the call first came in on.
  const routed = call.transferredBy !== null ? [call.userId] : call.inboundNumber === null ? [] : await usersOfNumber(trx, call.companyId, call.inboundNumber);
  const recipients = await voicemailMailUserIds(trx, call.companyId, routed);
  await insertVoicemailEmails(trx, recipients.map((userId) => ({ companyId: call.companyId, recordingId: recording.id, userId })), now);
  return recipients.length;
}
