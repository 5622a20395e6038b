import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { CreditsSummary, Purchase } from "../../../src-shared/server-api/credits";
import { trialMaxPurchaseMicros } from "../../../src-shared/credits/purchase-rules";
import { CallerError } from "../../../src-shared/errors";
import { assertNever } from "../../../src-shared/assert-never";
import { formatDateTime } from "../../../src-shared/format";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";
import { PurchaseConfirm } from "./purchase-confirm";
import { useMoney } from "./use-money";

/** A purchase the server may not have heard: clicking the same amount again resends its key, so it is bought once. */
interface Pending {
  amountMicros: number;
  idempotencyKey: string;
}

/** Buy $5/$10/$15 (what the summary offers: $5 only on a trial, nothing before a trial's billing details). */
export function BuyCredits({ summary, timeZone, companyName, onBought }: { summary: CreditsSummary; timeZone: string; companyName: string; onBought: () => void }) {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const money = useMoney(summary.currency);
  const [busy, setBusy] = useState(false);
  const [retry, setRetry] = useState<Pending | null>(null);
  const [done, setDone] = useState<Purchase | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<number | null>(null);
  const needsBilling = summary.isTrial && !summary.billingDetailsOnFile;
  // The server enforces the trial's $5 too; this only keeps the screen from offering more.
  const units = summary.purchaseUnitsMicros.filter((unit) => !summary.isTrial || unit <= trialMaxPurchaseMicros);

  const doneText = (purchase: Purchase): string => {
    const amount = money(purchase.amountMicros);
    switch (purchase.status) {
      case "awaiting_approval":
        return t("credits.awaitingApproval", { amount });
      case "declined":
        return t("credits.declined", { amount });
      case "invoiced":
      case "paid":
        return t("credits.bought", { amount, reference: purchase.reference });
      default:
        return assertNever(purchase.status, "purchase status");
    }
  };

  const buy = (pending: Pending) => {
    setBusy(true);
    setError(null);
    setDone(null);
    api
      .buyCredits(pending)
      .then((purchase) => {
        setAsking(null);
        setRetry(null);
        setDone(purchase);
        onBought();
      })
      .catch((e: unknown) => {
        // Only a request that may not have arrived is worth repeating with its key; a refusal is final.
        setAsking(null);
        setRetry(e instanceof CallerError && (e.code === "server_unreachable" || e.code === "internal") ? pending : null);
        setError(describeError(t, e));
      })
      .finally(() => setBusy(false));
  };

  return (
    <section className="buy-credits" aria-labelledby="buy-credits-title">
      <h3 id="buy-credits-title">{t("credits.buyTitle")}</h3>
      {units.length === 0 && <p className="hint">{t("credits.noUnits")}</p>}
      {summary.isTrial && <p className="hint">{t("credits.trialLimit", { amount: money(trialMaxPurchaseMicros) })}</p>}
      {needsBilling && (
        <p className="notice" role="note" data-testid="billing-required">
          {t("credits.billingRequired")}
        </p>
      )}
      <div className="buy-units" role="group" aria-labelledby="buy-credits-title">
        {units.map((amountMicros) => (
          <button
            key={amountMicros}
            type="button"
            data-testid={`buy-${amountMicros / 1_000_000}`}
            disabled={busy || needsBilling}
            onClick={() => setAsking(amountMicros)}
          >
            {t("credits.buy", { amount: money(amountMicros) })}
          </button>
        ))}
      </div>
      <PurchaseConfirm
        amountMicros={asking}
        summary={summary}
        companyName={companyName}
        busy={busy}
        onCancel={() => setAsking(null)}
        onConfirm={(amountMicros) => buy(retry?.amountMicros === amountMicros ? retry : { amountMicros, idempotencyKey: crypto.randomUUID() })}
      />
      {busy && <p className="hint">{t("credits.buying")}</p>}
      {error && (
        <p className="error" role="alert" data-testid="buy-error">
          {error}
        </p>
      )}
      {retry && !busy && (
        <p className="hint" data-testid="buy-retry">
          {t("credits.retryBuy", { amount: money(retry.amountMicros) })}
        </p>
      )}
      {done && (
        <p role="status" data-testid="buy-done" data-status={done.status}>
          {doneText(done)}
        </p>
      )}
      {summary.awaitingApproval.length > 0 && (
        <div data-testid="awaiting-approval">
          <p>{t("credits.waitingTitle")}</p>
          <ul>
            {summary.awaitingApproval.map((w) => (
              <li key={w.id}>{t("credits.waitingItem", { amount: money(w.amountMicros), date: formatDateTime(w.createdAt, i18n.language, timeZone) })}</li>
            ))}
          </ul>
        </div>
      )}
      {units.length > 0 && (
        <p className="hint" data-testid="invoice-limit">
          {t("credits.invoiceLimit", { invoiced: money(summary.invoicedThisMonthMicros), limit: money(summary.invoiceLimitMicros) })}
        </p>
      )}
      <p className="hint">{t("credits.purchasedNeverExpires")}</p>
    </section>
  );
}
