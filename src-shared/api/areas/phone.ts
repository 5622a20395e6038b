import { z } from "zod";
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

export const phoneMethods = {
  getServerLink: { request: Empty, response: ServerLink },
  /** Probes the server now instead of at the next backoff step (the Retry button). */
  retryServerLink: { request: Empty, response: ServerLink },
} as const satisfies Record<(typeof phoneMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const phoneEvents = {
  serverLinkChanged: ServerLink,
} as const satisfies Record<(typeof phoneEventNames)[number], z.ZodType>;
