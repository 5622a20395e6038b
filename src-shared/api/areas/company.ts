import { z } from "zod";
import { AdminUser } from "../../server-api/admin";
import { ClientCallId } from "../../server-api/calls";
import {
  CompanyUsersReply,
  CreateOutcomeBody,
  InviteBody,
  InviteReply,
  maxNotesLength,
  Outcome,
  OutcomeName,
  OutcomeSettingsBody,
  OutcomesReply,
  ReorderOutcomesBody,
} from "../../server-api/company-admin";
import { Empty, Ok } from "../common-schemas";
import type { companyEventNames, companyMethodNames } from "./company-names";
import { recordingsEvents, recordingsMethods } from "./recordings";

const UserRef = z.strictObject({ userId: z.number().int().positive() });
const OutcomeRef = z.strictObject({ id: z.number().int().positive() });

/** A finished call still waiting for its outcome on this device: not chosen yet, or chosen and not yet accepted by the server. */
export const PendingOutcome = z.object({
  clientCallId: ClientCallId,
  number: z.string(),
  endedAt: z.number().int(),
  state: z.enum(["awaiting", "queued"]),
  outcomeId: z.number().int().nullable(),
  notes: z.string(),
  /** Why the last submission was refused (the outcome was disabled meanwhile); null otherwise. */
  error: z.string().nullable(),
});
export type PendingOutcome = z.infer<typeof PendingOutcome>;

export const PendingOutcomes = z.object({ pending: z.array(PendingOutcome), required: z.boolean() });
export type PendingOutcomes = z.infer<typeof PendingOutcomes>;

/** Company settings in the admin window: users and invitations, call outcomes, call recording (issue 6). */
export const companyMethods = {
  /** Admin: users with their Caller status and open invitation. */
  listCompanyUsers: { request: Empty, response: CompanyUsersReply },
  inviteCompanyUser: { request: InviteBody, response: InviteReply },
  /** A fresh link, emailed or (via "link") only returned to copy; the previous link stops working. */
  resendCompanyInvitation: { request: UserRef.extend({ via: z.enum(["email", "link"]).optional() }), response: InviteReply },
  cancelCompanyInvitation: { request: UserRef, response: Ok },
  /** "Add" grants Caller (a PBX endpoint); revoking removes it, history stays. */
  setCompanyUserCaller: { request: UserRef.extend({ enabled: z.boolean() }), response: AdminUser },
  listAdminOutcomes: { request: Empty, response: OutcomesReply },
  createOutcome: { request: CreateOutcomeBody, response: Outcome },
  updateOutcome: { request: OutcomeRef.extend({ name: OutcomeName.optional(), enabled: z.boolean().optional() }), response: Outcome },
  deleteOutcome: { request: OutcomeRef, response: Ok },
  reorderOutcomes: { request: ReorderOutcomesBody, response: OutcomesReply },
  setOutcomeRequired: { request: OutcomeSettingsBody, response: OutcomesReply },
  /** The enabled outcomes the picker offers (the last copy seen when offline). */
  getCallOutcomes: { request: Empty, response: OutcomesReply },
  /** The softphone's call ended: it waits here for an outcome. */
  noteCallEnded: { request: z.strictObject({ clientCallId: ClientCallId, number: z.string().max(64), endedAt: z.number().int() }), response: PendingOutcomes },
  listPendingOutcomes: { request: Empty, response: PendingOutcomes },
  /** Queued on this device and sent now or when the server is back (same idempotency key every time). */
  logCallOutcome: {
    request: z.strictObject({ clientCallId: ClientCallId, outcomeId: z.number().int().positive(), notes: z.string().max(maxNotesLength) }),
    response: PendingOutcomes,
  },
  /** Refused while the company requires an outcome. */
  skipCallOutcome: { request: z.strictObject({ clientCallId: ClientCallId }), response: PendingOutcomes },
  ...recordingsMethods,
} as const satisfies Record<(typeof companyMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const companyEvents = {
  pendingOutcomesChanged: PendingOutcomes,
  ...recordingsEvents,
} as const satisfies Record<(typeof companyEventNames)[number], z.ZodType>;
