import { z } from "zod";

export const roles = ["admin", "regular"] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const plans = ["essential", "advanced", "professional", "enterprise"] as const;
export const Plan = z.enum(plans);
export type Plan = z.infer<typeof Plan>;

/** Caller exists only on Professional and Enterprise (trials included). */
export function planIncludesCaller(plan: Plan): boolean {
  return plan === "professional" || plan === "enterprise";
}

/** The language a company's own people read when nobody chose one: Japanese in Japan, English elsewhere. */
export function companyLanguage(company: { country: string }): "ja" | "en" {
  return company.country.toUpperCase() === "JP" ? "ja" : "en";
}

export const Company = z.object({
  id: z.number().int(),
  name: z.string(),
  plan: Plan,
  isTrial: z.boolean(),
  /** ISO 3166-1 alpha-2, the country numbers without a + are read in. */
  country: z.string().length(2),
  /** ISO 4217 */
  currency: z.string().length(3),
  /** IANA time zone for calendar rules (bonus expiry at month end). */
  timeZone: z.string(),
});
export type Company = z.infer<typeof Company>;

export const User = z.object({
  id: z.number().int(),
  companyId: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: Role,
  locale: z.string().nullable(),
});
export type User = z.infer<typeof User>;
