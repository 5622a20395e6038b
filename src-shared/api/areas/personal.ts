import { z } from "zod";
import { StartVerificationBody, Verification, VerificationExtension, VerificationParams } from "../../server-api/verification";
import { Empty } from "../common-schemas";
import type { personalEventNames, personalMethodNames } from "./personal-names";

/** An office PBX extension behind the number (1–10 digits): the verification call dials it as DTMF once answered. */
export const Extension = VerificationExtension;

/** A verification this app started: the code is only ever in the creator's hands. */
export const ActiveVerification = z.object({ verification: Verification, code: z.string(), extension: Extension.nullable() });
export type ActiveVerification = z.infer<typeof ActiveVerification>;

export const ConnectedNumber = z.object({
  /** E.164, the caller ID of every call; null: none connected. */
  number: z.string().nullable(),
  /** The extension the verification call dialed, kept with the number on this device; a re-verification starts from it. */
  extension: Extension.nullable(),
  /** The verification under way (or just ended) on this device. */
  active: ActiveVerification.nullable(),
});
export type ConnectedNumber = z.infer<typeof ConnectedNumber>;

export const callingMethods = ["caller", "other"] as const;
export type CallingMethod = (typeof callingMethods)[number];
/** Where `callto:`/`tel:` links go when Caller does not take them: what peers offer. */
export const otherLinkHandlers = ["tel", "sip", "app"] as const;
export type OtherLinkHandler = (typeof otherLinkHandlers)[number];

export const CallingMethodSetting = z.object({ callingMethod: z.enum(callingMethods), otherHandler: z.enum(otherLinkHandlers) });
export type CallingMethodSetting = z.infer<typeof CallingMethodSetting>;

/** Personal settings: connected number (verification), calling method (issues 5, 7). */
export const personalMethods = {
  getConnectedNumber: { request: Empty, response: ConnectedNumber },
  /** Places the verification call (dialing `extension` after the answer); the core follows it and emits `verificationChanged`. */
  startVerification: { request: StartVerificationBody.extend({ extension: Extension.nullable() }).strict(), response: ActiveVerification },
  getVerification: { request: VerificationParams.strict(), response: Verification },
  cancelVerification: { request: VerificationParams.strict(), response: Verification },
  disconnectNumber: { request: Empty, response: ConnectedNumber },
  getCallingMethod: { request: Empty, response: CallingMethodSetting },
  setCallingMethod: { request: CallingMethodSetting.partial().strict(), response: CallingMethodSetting },
} as const satisfies Record<(typeof personalMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const personalEvents = {
  verificationChanged: Verification,
  connectedNumberChanged: ConnectedNumber,
  callingMethodChanged: CallingMethodSetting,
} as const satisfies Record<(typeof personalEventNames)[number], z.ZodType>;
