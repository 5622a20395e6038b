import type { Company } from "../../../src-shared/domain/company";
import { CreditsAdmin } from "./credits-admin";

/** The Credits screen (admins): balances, purchases, usage, ledger and rates in one column. */
export function CreditsPage({ company }: { company: Company }) {
  return (
    <div className="page-column">
      <CreditsAdmin company={company} />
    </div>
  );
}
