import { z } from "zod";
import { HistoryCall } from "../api/contract";
import { maxNotesLength } from "./company-admin";
import { Person, PersonPatch } from "./crm";

/**
 * Edits the desktop made (maybe offline) and replays from its outbox. Every
 * edit carries an idempotency key (a replay changes nothing) and the client's
 * clock at the edit; the server decides each field by last writer wins (see
 * docs/sync-rules.md) and keeps the losing version in the entity's history.
 */
export const syncEditPaths = {
  personEdit: "/api/crm/people/:id/edits",
  personHistory: "/api/crm/people/:id/history",
  call: "/api/crm/calls/:id",
  callEdit: "/api/crm/calls/:id/edits",
  callHistory: "/api/crm/calls/:id/history",
} as const;

const EditMeta = {
  idempotencyKey: z.string().min(8).max(64),
  /** The client's clock when the user made the edit (UTC ms); the server caps it at its receipt time. */
  editedAt: z.number().int().min(0),
};

export const PersonEditBody = z.strictObject({ ...EditMeta, patch: PersonPatch });
export type PersonEditBody = z.infer<typeof PersonEditBody>;

export const CallPatch = z
  .strictObject({ outcomeId: z.number().int().positive().optional(), notes: z.string().max(maxNotesLength).optional() })
  .refine((p) => p.outcomeId !== undefined || p.notes !== undefined, "give outcomeId or notes");
export type CallPatch = z.infer<typeof CallPatch>;
export const CallEditBody = z.strictObject({ ...EditMeta, patch: CallPatch });
export type CallEditBody = z.infer<typeof CallEditBody>;

const EditOutcome = {
  /** Fields this edit set. */
  applied: z.array(z.string()),
  /** Fields a newer edit had already set: this edit's values are kept as previous versions. */
  kept: z.array(z.string()),
  /** Fields the server could not take (an outcome disabled meanwhile): kept as previous versions too. */
  refused: z.array(z.string()),
  /** The key was seen before: nothing was written this time. */
  replay: z.boolean(),
};
export const PersonEditReply = z.object({ ...EditOutcome, person: Person });
export type PersonEditReply = z.infer<typeof PersonEditReply>;
// contract.ts reaches this file through the CRM area: read HistoryCall lazily.
export const CallEditReply = z.object({ ...EditOutcome, call: z.lazy(() => HistoryCall) });
export type CallEditReply = z.infer<typeof CallEditReply>;

export const versionKinds = ["replaced", "lost", "refused"] as const;
/** One earlier value of a field: replaced by a newer edit, or an edit that lost (or was refused) and never showed. */
export const EditVersion = z.object({
  field: z.string(),
  value: z.unknown(),
  kind: z.enum(versionKinds),
  editedAt: z.number().int(),
  editedBy: z.string().nullable(),
  recordedAt: z.number().int(),
});
export type EditVersion = z.infer<typeof EditVersion>;
export const EditHistoryReply = z.object({ versions: z.array(EditVersion) });
export type EditHistoryReply = z.infer<typeof EditHistoryReply>;

export const editPath = (path: string, id: string): string => path.replace(":id", encodeURIComponent(id));
