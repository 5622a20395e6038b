// Plain values about plans and companies, without the schemas in ./company.ts: the
// renderer's first paint needs these and not zod.

export const roles = ["admin", "regular"] as const;
export const plans = ["essential", "advanced", "professional", "enterprise"] as const;

/** Caller exists only on Professional and Enterprise (trials included). */
export function planIncludesCaller(plan: (typeof plans)[number]): boolean {
  return plan === "professional" || plan === "enterprise";
}

/** The language a company's own people read when nobody chose one: Japanese in Japan, English elsewhere. */
export function companyLanguage(company: { country: string }): "ja" | "en" {
  return company.country.toUpperCase() === "JP" ? "ja" : "en";
}
