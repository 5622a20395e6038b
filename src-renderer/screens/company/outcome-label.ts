import type { Outcome } from "../../../src-shared/server-api/company-admin";

type T = (key: string, options?: Record<string, unknown>) => string;

/** The admin's name, else the default's name in the app's language. */
export function outcomeLabel(t: T, outcome: Pick<Outcome, "key" | "name">): string {
  if (outcome.name !== null) return outcome.name;
  return outcome.key === null ? "" : t(`company.outcomes.defaults.${outcome.key}`);
}
