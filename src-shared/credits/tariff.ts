import { z } from "zod";

export const tariffKinds = ["fixed", "mobile", "other"] as const;
export const TariffKind = z.enum(tariffKinds);
export type TariffKind = z.infer<typeof TariffKind>;

/**
 * Billing increment lengths in seconds that tariffs actually use (1/1, 6/6,
 * 30/6, 60/60 …). A closed list, so a typo such as 600/60 is refused at import
 * instead of billing ten minutes for a short call.
 */
export const knownIncrementSeconds = [1, 6, 10, 15, 20, 30, 60] as const;

export function isKnownIncrement(seconds: number): boolean {
  return (knownIncrementSeconds as readonly number[]).includes(seconds);
}

export const BillingIncrements = z.object({
  /** Billed at least once as soon as the call is answered. */
  first: z.number().int().refine(isKnownIncrement, "unknown billing increment"),
  /** Every further started block. */
  next: z.number().int().refine(isKnownIncrement, "unknown billing increment"),
});
export type BillingIncrements = z.infer<typeof BillingIncrements>;

/** $1,000 a minute: above it a rate is a typo, and every cost stays far inside 2^53 micro-dollars. */
export const maxRatePerMinuteMicros = 1_000_000_000;
export const maxConnectionFeeMicros = 1_000_000_000;

const prefixPattern = /^[1-9][0-9]{0,14}$/;

export function isTariffPrefix(text: string): boolean {
  return prefixPattern.test(text);
}

export const TariffRow = z
  .object({
    /** E.164 digits without "+": "81", "8190", "1201555". */
    prefix: z.string().regex(prefixPattern, "1–15 digits, not starting with 0"),
    destination: z.string().min(1).max(100),
    kind: TariffKind,
    ratePerMinuteMicros: z.number().int().min(0).max(maxRatePerMinuteMicros),
    connectionFeeMicros: z.number().int().min(0).max(maxConnectionFeeMicros),
    increments: BillingIncrements,
    /** UTC ms, inclusive. */
    effectiveFrom: z.number().int(),
    /** UTC ms, exclusive; null while no end is set. */
    effectiveTo: z.number().int().nullable(),
  })
  .refine((row) => row.effectiveTo === null || row.effectiveTo > row.effectiveFrom, {
    message: "effectiveTo must be after effectiveFrom",
    path: ["effectiveTo"],
  });
export type TariffRow = z.infer<typeof TariffRow>;

export interface EffectivePeriod {
  effectiveFrom: number;
  effectiveTo: number | null;
}

export function isInForce(period: EffectivePeriod, atMs: number): boolean {
  return period.effectiveFrom <= atMs && (period.effectiveTo === null || atMs < period.effectiveTo);
}

/** Half-open periods [from, to): one ending exactly where the next starts do not overlap. */
export function periodsOverlap(a: EffectivePeriod, b: EffectivePeriod): boolean {
  const aEnd = a.effectiveTo ?? Number.POSITIVE_INFINITY;
  const bEnd = b.effectiveTo ?? Number.POSITIVE_INFINITY;
  return a.effectiveFrom < bEnd && b.effectiveFrom < aEnd;
}
