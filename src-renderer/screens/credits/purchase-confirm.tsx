import { useTranslation } from "react-i18next";
import { invoiceDecision } from "../../../src-shared/credits/invoice-limit";
import { trialMaxPurchaseMicros } from "../../../src-shared/credits/purchase-rules";
import type { CreditsSummary } from "../../../src-shared/server-api/credits";
import { Button } from "../../components/ui/button";
import { Dialog } from "../../components/ui/dialog";
import { useCoreQuery } from "../../query/core-query";
import { useMoney } from "./use-money";

export interface PurchaseConfirmProps {
  /** null: closed. */
  amountMicros: number | null;
  summary: CreditsSummary;
  companyName: string;
  busy: boolean;
  onConfirm: (amountMicros: number) => void;
  onCancel: () => void;
}

/** The step before buying: the amount, the balance after, who the invoice goes to. Nothing is bought until Buy. */
export function PurchaseConfirm({ amountMicros, summary, companyName, busy, onConfirm, onCancel }: PurchaseConfirmProps) {
  const { t } = useTranslation();
  const money = useMoney(summary.currency);
  // Read again on each opening: the details may have been edited a moment ago.
  const billing = useCoreQuery("getBillingDetails", {}, { enabled: amountMicros !== null, staleTime: 0 });
  if (amountMicros === null) return null;
  const amount = money(amountMicros);
  const balance = summary.bonusMicros + summary.purchasedMicros;
  // The server decides the same way; shown so an admin is not surprised when the credit waits.
  const waits = invoiceDecision({ limitMicros: summary.invoiceLimitMicros, invoicedThisMonthMicros: summary.invoicedThisMonthMicros, amountMicros }) === "approval";
  const details = billing.data?.details ?? null;

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && !busy && onCancel()}
      title={t("purchase.confirmTitle", { amount })}
      description={t("purchase.confirmDescription")}
      testId="purchase-confirm"
      footer={
        <>
          <Button variant="secondary" onClick={onCancel} disabled={busy}>
            {t("ui.cancel")}
          </Button>
          <Button variant="primary" busy={busy} onClick={() => onConfirm(amountMicros)} data-testid="purchase-confirm-buy">
            {t("purchase.confirm", { amount })}
          </Button>
        </>
      }
    >
      <dl className="purchase-facts">
        <div>
          <dt>{t("purchase.amount")}</dt>
          <dd data-testid="confirm-amount">{amount}</dd>
        </div>
        <div>
          <dt>{t("purchase.balanceNow")}</dt>
          <dd>{money(balance)}</dd>
        </div>
        <div>
          <dt>{t("purchase.balanceAfter")}</dt>
          <dd data-testid="confirm-balance-after">{money(waits ? balance : balance + amountMicros)}</dd>
        </div>
        <div className="purchase-billed">
          <dt>{t("purchase.billedTo")}</dt>
          <dd data-testid="confirm-billed-to">
            {billing.isPending ? (
              "…"
            ) : details ? (
              <>
                <strong>{details.companyName}</strong>
                <span>{[details.addressLine1, details.addressLine2, [details.postalCode, details.city].filter(Boolean).join(" "), details.country].filter(Boolean).join(", ")}</span>
                <span>{details.email}</span>
              </>
            ) : (
              t("purchase.billedToCompany", { company: companyName })
            )}
          </dd>
        </div>
      </dl>
      <p className="hint">{t("purchase.byInvoice")}</p>
      {summary.isTrial && <p className="hint">{t("purchase.trialNote", { amount: money(trialMaxPurchaseMicros) })}</p>}
      {waits && (
        <p className="notice" role="note" data-testid="confirm-needs-approval">
          {t("purchase.needsApproval", { limit: money(summary.invoiceLimitMicros) })}
        </p>
      )}
    </Dialog>
  );
}
