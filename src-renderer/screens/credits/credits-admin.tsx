import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Company } from "../../../src-shared/domain/company";
import type { CreditsSummary } from "../../../src-shared/server-api/credits";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";
import { BillingDetailsForm } from "./billing-details-form";
import { BuyCredits } from "./buy-credits";
import { CreditBalances } from "./credit-balances";
import { LedgerPanel } from "./ledger-panel";
import { LowBalanceSetting } from "./low-balance-setting";
import { RatesPanel } from "./rates-panel";
import { UsagePanel } from "./usage-panel";

/** Company settings → Calling credits (admin only; the server refuses anyone else whatever this shows). */
export function CreditsAdmin({ company }: { company: Company }) {
  const api = useApi();
  const { t } = useTranslation();
  const [summary, setSummary] = useState<CreditsSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Bumped after a purchase so the ledger shows the new entry.
  const [revision, setRevision] = useState(0);

  const reload = useCallback(() => {
    api
      .getCredits({})
      .then((next) => {
        setSummary(next);
        setError(null);
      })
      .catch((e: unknown) => setError(describeError(t, e)));
  }, [api, t]);
  useEffect(reload, [reload]);

  const afterPurchase = useCallback(() => {
    reload();
    setRevision((r) => r + 1);
  }, [reload]);

  return (
    <section className="credits-admin" aria-labelledby="credits-title" data-testid="credits-admin">
      <h2 id="credits-title">{t("credits.title")}</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {summary === null ? (
        !error && <p className="hint">{t("credits.loading")}</p>
      ) : (
        <>
          <CreditBalances summary={summary} timeZone={company.timeZone} />
          <BuyCredits summary={summary} timeZone={company.timeZone} onBought={afterPurchase} />
          <BillingDetailsForm companyCountry={company.country} onSaved={reload} />
          <LowBalanceSetting summary={summary} onSaved={reload} />
          <UsagePanel currency={summary.currency} timeZone={company.timeZone} />
          <LedgerPanel key={revision} currency={summary.currency} timeZone={company.timeZone} />
          <RatesPanel timeZone={company.timeZone} />
        </>
      )}
    </section>
  );
}
