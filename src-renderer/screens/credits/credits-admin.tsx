import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Company } from "../../../src-shared/domain/company";
import { QueryState } from "../../components/ui/query-state";
import { purchasesArea } from "../../i18n/areas/purchases";
import { useLazyStrings } from "../../i18n/lazy-strings";
import { useCoreQuery } from "../../query/core-query";
import { BillingDetailsForm } from "./billing-details-form";
import { BuyCredits } from "./buy-credits";
import { CreditBalances } from "./credit-balances";
import { LedgerPanel } from "./ledger-panel";
import { PurchaseList } from "./purchase-list";
import { LowBalanceSetting } from "./low-balance-setting";
import { RatesPanel } from "./rates-panel";
import { UsagePanel } from "./usage-panel";

/** Company settings → Calling credits (admin only; the server refuses anyone else whatever this shows). */
export function CreditsAdmin({ company }: { company: Company }) {
  useLazyStrings(purchasesArea);
  const { t } = useTranslation();
  const summary = useCoreQuery("getCredits", {});
  // Bumped after a purchase so the ledger shows the new entry.
  const [revision, setRevision] = useState(0);
  const { refetch } = summary;
  const reload = useCallback(() => void refetch(), [refetch]);
  const afterPurchase = useCallback(() => {
    reload();
    setRevision((r) => r + 1);
  }, [reload]);

  return (
    <section className="credits-admin" aria-labelledby="credits-title" data-testid="credits-admin">
      <h2 id="credits-title">{t("credits.title")}</h2>
      <QueryState query={summary} skeletonLines={6}>
        {(current) => (
          <>
            <CreditBalances summary={current} timeZone={company.timeZone} />
            <BuyCredits summary={current} timeZone={company.timeZone} companyName={company.name} onBought={afterPurchase} />
            <PurchaseList revision={revision} currency={current.currency} timeZone={company.timeZone} />
            <BillingDetailsForm companyCountry={company.country} onSaved={reload} />
            <LowBalanceSetting summary={current} onSaved={reload} />
            <UsagePanel currency={current.currency} timeZone={company.timeZone} />
            <LedgerPanel key={revision} currency={current.currency} timeZone={company.timeZone} />
            <RatesPanel timeZone={company.timeZone} />
          </>
        )}
      </QueryState>
    </section>
  );
}
