import { z } from "zod";
import { ClientCallId } from "../../server-api/calls";
import { PhoneReadinessReply } from "../../server-api/phone-readiness";
import { Empty } from "../common-schemas";
import type { phoneEventNames, phoneMethodNames } from "./phone-names";

/**
 * The core's link to the company server. `checking`: not asked yet since
 * sign-in; `unreachable`: the last probe got no answer, the next one is at
 * `retryAt`. `readiness` is the server's last word on plan, access, caller ID
 * and credit (null until it has answered once this session).
 */
export const ServerLink = z.object({
  status: z.enum(["checking", "reachable", "unreachable"]),
  retryAt: z.number().int().nullable(),
  readiness: PhoneReadinessReply.nullable(),
});
export type ServerLink = z.infer<typeof ServerLink>;

/**
 * Who a call is with, for the call screen: from the CRM page it was placed
 * on, else the mirrored person with that exact number; and, once the server's
 * record has been mirrored, what it cost and whether it was recorded.
 */
export const CallContext = z.object({
  contact: z
    .object({
      source: z.enum(["page", "number"]),
      personName: z.string().nullable(),
      organizationName: z.string().nullable(),
      dealTitle: z.string().nullable(),
      lastNote: z.object({ notes: z.string(), at: z.number().int() }).nullable(),
    })
    .nullable(),
  record: z
    .object({
      billedSeconds: z.number().int(),
      /** null: not rated yet. */
      costMicros: z.number().int().nullable(),
      recorded: z.boolean(),
    })
    .nullable(),
});
export type CallContext = z.infer<typeof CallContext>;

export const CallContextRequest = z.strictObject({
  clientCallId: ClientCallId,
  number: z.string().regex(/^\+[1-9][0-9]{6,14}$/, "an E.164 number"),
  dialedAt: z.number().int(),
});

export const phoneMethods = {
  getServerLink: { request: Empty, response: ServerLink },
  /** Probes the server now instead of at the next backoff step (the Retry button). */
  retryServerLink: { request: Empty, response: ServerLink },
  getCallContext: { request: CallContextRequest, response: CallContext },
} as const satisfies Record<(typeof phoneMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const phoneEvents = {
  serverLinkChanged: ServerLink,
} as const satisfies Record<(typeof phoneEventNames)[number], z.ZodType>;
