import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import { z } from "zod";
import { HistoryCall } from "../../src-shared/api/contract";
import { CallerError, callerErrorBody, errorToText, type ErrorBody } from "../../src-shared/errors";
import { storedOutcome } from "../../src-shared/crm/logged-outcome";
import { DefaultOutcomeKey, LoggedOutcome, companyAdminPaths, pathWithId } from "../../src-shared/server-api/company-admin";
import { ContactPhone, CrmId, Person, crmPath, crmPaths } from "../../src-shared/server-api/crm";
import { CallEditReply, CallPatch, PersonEditReply, editPath, syncEditPaths } from "../../src-shared/server-api/sync-edits";
import { addAwaiting } from "./store/awaiting-outcomes-repo";
import { deleteCall, getCall, patchLocalCall, upsertCalls } from "./store/calls-repo";
import { deleteCrmEntity, patchLocalPerson, upsertPerson } from "./store/crm-repo";
import { enqueue, markDone, markFailed, peekBatch, pendingFor, type OutboxItem } from "./store/outbox-repo";

/** A contact edit as queued: phones already E.164, so the copy here shows what the server will get. */
const PersonEditPayload = z.object({
  userId: z.number().int(),
  id: CrmId,
  editedAt: z.number().int(),
  patch: z.object({
    name: z.string().optional(),
    email: z.string().nullable().optional(),
    organizationId: CrmId.nullable().optional(),
    phones: z.array(ContactPhone).optional(),
  }),
});
const CallEditPayload = z.object({
  userId: z.number().int(),
  id: z.string(),
  editedAt: z.number().int(),
  patch: CallPatch,
  /** The outcome as the picker showed it (an admin's name, or a default's key), for this device's copy until the server answers. */
  outcomeName: z.string().optional(),
  outcomeKey: DefaultOutcomeKey.optional(),
});
/**
 * The outcome picked for a call as it ended, by the call's client id (the mirror may not hold the
 * call yet). Number and end time come along so a choice the server refuses can be asked again.
 */
const CallOutcomePayload = z.object({
  userId: z.number().int(),
  clientCallId: z.string(),
  number: z.string(),
  endedAt: z.number().int(),
  outcomeId: z.number().int(),
  notes: z.string(),
});
export type PersonEditPayload = z.infer<typeof PersonEditPayload>;
export type CallEditPayload = z.infer<typeof CallEditPayload>;
export type CallOutcomePayload = z.infer<typeof CallOutcomePayload>;

export type QueuedEdit =
  | { kind: "person-edit"; payload: PersonEditPayload }
  | { kind: "call-edit"; payload: CallEditPayload }
  | { kind: "call-outcome"; payload: CallOutcomePayload };

export const callOutcomeKey = (clientCallId: string): string => `call-outcome:${clientCallId}`;

const entityKeyOf = (edit: QueuedEdit): string => {
  switch (edit.kind) {
    case "person-edit":
      return `person:${edit.payload.id}`;
    case "call-edit":
      return `call:${edit.payload.id}`;
    case "call-outcome":
      return callOutcomeKey(edit.payload.clientCallId);
  }
};

export function readItem(item: OutboxItem): QueuedEdit | null {
  switch (item.kind) {
    case "person-edit": {
      const parsed = PersonEditPayload.safeParse(item.payload);
      return parsed.success ? { kind: item.kind, payload: parsed.data } : null;
    }
    case "call-edit": {
      const parsed = CallEditPayload.safeParse(item.payload);
      return parsed.success ? { kind: item.kind, payload: parsed.data } : null;
    }
    case "call-outcome": {
      const parsed = CallOutcomePayload.safeParse(item.payload);
      return parsed.success ? { kind: item.kind, payload: parsed.data } : null;
    }
    default:
      return null;
  }
}

/** When the edit was made: the outbox keeps that order. */
const madeAt = (edit: QueuedEdit): number => (edit.kind === "call-outcome" ? Date.now() : edit.payload.editedAt);

async function applyLocally(db: Knex, edit: QueuedEdit): Promise<void> {
  // The server's copy of the call comes with the next feed page; the picker shows the choice meanwhile.
  if (edit.kind === "call-outcome") return;
  if (edit.kind === "person-edit") {
    await patchLocalPerson(db, edit.payload.id, edit.payload.patch);
    return;
  }
  const { patch, outcomeName, outcomeKey } = edit.payload;
  // Edits queued before keys carry a default's English name only: storedOutcome reads it as the default.
  const outcome = patch.outcomeId === undefined || (outcomeName === undefined && outcomeKey === undefined) ? undefined : storedOutcome(outcomeName ?? null, outcomeKey);
  await patchLocalCall(db, edit.payload.id, { outcome, notes: patch.notes === undefined ? undefined : patch.notes.trim() || null });
}

/** Shows the edit on this device and queues it for the server, in one transaction (a crash keeps both or neither). */
export async function queueEdit(db: Knex, edit: QueuedEdit): Promise<void> {
  await db.transaction((trx) => queueEditIn(trx, edit));
}

/** The same, inside a transaction the caller holds (to change its own tables with it). */
export async function queueEditIn(trx: Knex.Transaction, edit: QueuedEdit): Promise<void> {
  await applyLocally(trx, edit);
  await enqueue(trx, { idempotencyKey: randomUUID(), kind: edit.kind, payload: edit.payload, entityKey: entityKeyOf(edit) }, madeAt(edit));
}

/** After a feed page: the server's copy of these entities replaced this device's, so the edits still queued go back on top. */
export async function reapplyQueued(trx: Knex.Transaction, entityKeys: readonly string[]): Promise<void> {
  for (const item of await pendingFor(trx, entityKeys)) {
    const edit = readItem(item);
    if (edit !== null) await applyLocally(trx, edit);
  }
}

export interface Sender {
  request<T>(schema: z.ZodType<T>, method: "GET" | "POST", path: string, body?: unknown): Promise<T>;
}

export interface ReplayResult {
  sent: number;
  /** Edits the server refused for good, each as its refusal (code, reason, params) for the UI's words; their entity was re-read from the server. */
  refused: ErrorBody[];
  /** Why the replay stopped early (offline, server error); null when the outbox is empty or only other users' edits are left. */
  stoppedBy: CallerError | null;
}

/** Errors that will not change by retrying: the edit is dropped (and the entity re-read) so later edits can go. */
const permanent = new Set(["bad_request", "not_found", "conflict", "forbidden", "invalid_number"]);

async function send(sender: Sender, item: OutboxItem, edit: QueuedEdit): Promise<void> {
  if (edit.kind === "call-outcome") {
    const { outcomeId, notes, clientCallId } = edit.payload;
    await sender.request(LoggedOutcome, "POST", pathWithId(companyAdminPaths.callOutcome, clientCallId), { outcomeId, notes, idempotencyKey: item.idempotencyKey });
    return;
  }
  const body = { idempotencyKey: item.idempotencyKey, editedAt: edit.payload.editedAt, patch: edit.payload.patch };
  if (edit.kind === "person-edit") await sender.request(PersonEditReply, "POST", editPath(syncEditPaths.personEdit, edit.payload.id), body);
  else await sender.request(CallEditReply, "POST", editPath(syncEditPaths.callEdit, edit.payload.id), body);
}

/**
 * After a refused edit: this device's copy goes back to the server's (an entity gone on the server goes here too).
 * A refused outcome goes back to the picker with the server's reason; one for a call the server never had is dropped.
 */
async function restore(db: Knex, sender: Sender, edit: QueuedEdit, failure: CallerError): Promise<void> {
  if (edit.kind === "call-outcome") {
    if (failure.code === "not_found") return;
    const { clientCallId, userId, number, endedAt, outcomeId, notes } = edit.payload;
    await addAwaiting(db, { clientCallId, userId, number, endedAt }, { outcomeId, notes, error: errorToText(failure) });
    return;
  }
  try {
    if (edit.kind === "person-edit") {
      const person = await sender.request(Person, "GET", crmPath(crmPaths.person, edit.payload.id));
      const seq = (await db("people").where({ id: person.id }).first<{ updated_seq: number } | undefined>("updated_seq"))?.updated_seq ?? 0;
      await db.transaction((trx) => upsertPerson(trx, person, seq));
    } else {
      const call = await sender.request(HistoryCall, "GET", editPath(syncEditPaths.call, edit.payload.id));
      await upsertCalls(db, [{ ...call, updatedSeq: (await getCall(db, call.id))?.updatedSeq ?? 0 }]);
    }
  } catch (error) {
    if (!(error instanceof CallerError && error.code === "not_found")) throw error;
    if (edit.kind === "person-edit") await db.transaction((trx) => deleteCrmEntity(trx, "person", edit.payload.id));
    else await deleteCall(db, edit.payload.id);
  }
}

/**
 * Sends the signed-in user's queued edits in the order they were made. An
 * item leaves the outbox only after the server answered it, and the server
 * applies a key once, so a crash between the two resends harmlessly.
 */
export async function replayOutbox(db: Knex, sender: Sender, userId: number, onSettled: (kind: QueuedEdit["kind"]) => void): Promise<ReplayResult> {
  const result: ReplayResult = { sent: 0, refused: [], stoppedBy: null };
  let after = 0;
  for (let round = 0; round < 10_000; round += 1) {
    const batch = await peekBatch(db, 50, after);
    if (batch.length === 0) return result;
    for (const item of batch) {
      after = item.id;
      const edit = readItem(item);
      if (edit === null) {
        await markDone(db, item.id);
        continue;
      }
      // Another user's edits on this device wait for them to sign in again.
      if (edit.payload.userId !== userId) continue;
      try {
        await send(sender, item, edit);
        await markDone(db, item.id);
        result.sent += 1;
        onSettled(edit.kind);
      } catch (error) {
        const failure = error instanceof CallerError ? error : new CallerError("internal", String(error));
        if (!permanent.has(failure.code)) {
          if (failure.code !== "server_unreachable") await markFailed(db, item.id, errorToText(failure));
          result.stoppedBy = failure;
          return result;
        }
        await markDone(db, item.id);
        // The picker shows a refused outcome again, with the reason: the sync line need not.
        if (edit.kind !== "call-outcome") result.refused.push(callerErrorBody(failure));
        await restore(db, sender, edit, failure).catch((e: unknown) => console.warn("[sync] could not restore after a refused edit", e));
        onSettled(edit.kind);
      }
    }
  }
  return result;
}
