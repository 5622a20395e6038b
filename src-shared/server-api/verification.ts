import { z } from "zod";
import { verificationStates } from "../verification/verification-state";

export const verificationPaths = {
  start: "/api/verification",
  one: "/api/verification/:id",
} as const;

/** Why a number cannot be verified (shown to the user, translated by the app). */
export const numberRefusals = ["invalid_number", "premium_rate", "shared_cost", "uan", "pager", "voicemail", "voip", "personal_number", "unknown_type"] as const;
export type NumberRefusal = (typeof numberRefusals)[number];

/**
 * An office PBX extension behind the number, dialed as DTMF once the call is
 * answered: 1–10 digits only. Pauses (`,` `w`) and `*` `#` are the dialplan's to
 * add, never the user's: nothing but digits may reach Dial's options.
 */
export const extensionPattern = /^[0-9]{1,10}$/;
export const VerificationExtension = z.string().regex(extensionPattern);

export const StartVerificationBody = z.object({
  /** ISO 3166-1 alpha-2, e.g. "JP". */
  country: z.string().regex(/^[A-Z]{2}$/),
  /** As the user typed it: national or international format. */
  number: z.string().min(1).max(40),
  /** Absent or null: the number answers in person. */
  extension: VerificationExtension.nullish(),
});
export type StartVerificationBody = z.infer<typeof StartVerificationBody>;

/** Why a verification ended in `failed`, when the server knows. */
export const failureReasons = ["hung_up", "no_digits", "too_many_attempts", "pbx_unavailable", "unreachable"] as const;

export const Verification = z.object({
  id: z.string(),
  number: z.string(),
  /** The extension the call dials after the answer; it goes with the number once verified. Absent from servers before it. */
  extension: VerificationExtension.nullable().default(null),
  state: z.enum(verificationStates),
  failureReason: z.enum(failureReasons).nullable(),
  attempts: z.number().int(),
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Verification = z.infer<typeof Verification>;

/** Only the reply to the creator's POST carries the code. */
export const StartVerificationReply = z.object({ verification: Verification, code: z.string().regex(/^[0-9]{6}$/) });
export type StartVerificationReply = z.infer<typeof StartVerificationReply>;

export const VerificationParams = z.object({ id: z.string().regex(/^[0-9a-zA-Z_-]{1,64}$/) });
