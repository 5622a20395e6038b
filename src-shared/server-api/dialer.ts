import { z } from "zod";
import { CallingHours } from "../dialer/calling-hours";

/** The power dialer's server routes. */
export const dialerPaths = {
  /** POST: may these numbers be called now? One verdict per number, from the rules authorize decides with. */
  precheck: "/api/calls/precheck",
  /** GET: the company's calling hours (any user); PUT: set them (admins). */
  callingHours: "/api/company/calling-hours",
} as const;

/** The most numbers one precheck answers (a queue asks a few ahead, never all at once). */
export const maxPrecheckNumbers = 50;

export const PrecheckBody = z.strictObject({ numbers: z.array(z.string().min(1).max(64)).min(1).max(maxPrecheckNumbers) });
export type PrecheckBody = z.infer<typeof PrecheckBody>;

/**
 * Why a number may not be called now; `ok`: authorize would let it through as things stand.
 * outside_calling_hours: judged in the number's own zone; outside_calling_hours_all_zones: its
 * country has several zones and the number does not tell which, so every one must be inside.
 */
export const precheckVerdicts = ["ok", "invalid_number", "destination_blocked", "no_credit", "outside_calling_hours", "outside_calling_hours_all_zones", "caller_not_enabled", "number_not_verified"] as const;
export const PrecheckVerdict = z.enum(precheckVerdicts);
export type PrecheckVerdict = z.infer<typeof PrecheckVerdict>;

export const PrecheckResult = z.object({
  number: z.string(),
  verdict: PrecheckVerdict,
  /** outside_calling_hours: when the number's hours next open (UTC ms); null: not within a week. */
  opensAt: z.number().int().nullable().optional(),
});
export type PrecheckResult = z.infer<typeof PrecheckResult>;

export const PrecheckReply = z.object({ results: z.array(PrecheckResult) });
export type PrecheckReply = z.infer<typeof PrecheckReply>;

/** `hours: null`: no restriction (the default). */
export const CallingHoursBody = z.strictObject({ hours: CallingHours.nullable() });
export type CallingHoursBody = z.infer<typeof CallingHoursBody>;
export const CallingHoursReply = z.object({ hours: CallingHours.nullable() });
export type CallingHoursReply = z.infer<typeof CallingHoursReply>;
