import { z } from "zod";
import { plans, roles } from "./plan";

export { companyLanguage, planIncludesCaller, plans, roles } from "./plan";

export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const Plan = z.enum(plans);
export type Plan = z.infer<typeof Plan>;

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
