import type { Company } from "../../../src-shared/domain/company";

/** Company settings → Calling credits (admin only). Placeholder until the credits screen lands. */
export function CreditsAdmin(_props: { company: Company }) {
  return null;
}
