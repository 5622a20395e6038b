import { Download } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../../src-shared/format";
import type { PurchaseListItem } from "../../../src-shared/server-api/credits";
import { useApi } from "../../api-context";
import { Button } from "../../components/ui/button";
import { Dialog } from "../../components/ui/dialog";
import { describeError } from "../../i18n/i18n";
import { saveFile } from "./download";

/**
 * One purchase's invoice: what it says, and the PDF the server makes of it
 * (in the company's language) to save. The page's CSP shows no embedded PDF,
 * so the invoice opens here and the PDF goes to a file.
 */
export function InvoiceDialog({ purchase, money, timeZone, onClose }: { purchase: PurchaseListItem; money: (micros: number) => string; timeZone: string; onClose: () => void }) {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const fileName = `invoice-${purchase.reference.replace(/[^A-Za-z0-9._-]/g, "_")}.pdf`;
  const billed = purchase.billedTo;

  const download = () => {
    setBusy(true);
    setMessage(null);
    api
      .getInvoicePdf({ purchaseId: purchase.id })
      .then(({ pdfBase64 }) => {
        saveFile(Uint8Array.from(atob(pdfBase64), (c) => c.charCodeAt(0)), "application/pdf", fileName);
        setMessage({ error: false, text: t("purchase.downloaded", { file: fileName }) });
      })
      .catch((e: unknown) => setMessage({ error: true, text: describeError(t, e) }))
      .finally(() => setBusy(false));
  };

  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={t("purchase.invoiceTitle", { reference: purchase.reference })}
      description={t("purchase.pdfLanguage")}
      testId="invoice-dialog"
      footer={
        <Button variant="primary" icon={<Download size={16} aria-hidden="true" />} busy={busy} onClick={download} data-testid="invoice-download">
          {t("purchase.downloadPdf")}
        </Button>
      }
    >
      <dl className="purchase-facts">
        <div>
          <dt>{t("purchase.date")}</dt>
          <dd>{formatDateTime(purchase.createdAt, i18n.language, timeZone)}</dd>
        </div>
        <div>
          <dt>{t("purchase.amount")}</dt>
          <dd data-testid="invoice-amount">{money(purchase.amountMicros)}</dd>
        </div>
        <div>
          <dt>{t("purchase.status")}</dt>
          <dd>{purchase.status === "paid" ? t("purchase.statusPaid") : t("purchase.statusInvoiced")}</dd>
        </div>
        <div>
          <dt>{t("purchase.boughtBy")}</dt>
          <dd>{purchase.boughtBy ?? t("purchase.unknownBuyer")}</dd>
        </div>
        <div className="purchase-billed">
          <dt>{t("purchase.billedTo")}</dt>
          <dd>
            {billed ? (
              <>
                <strong>{billed.companyName}</strong>
                <span>{[billed.addressLine1, billed.addressLine2, [billed.postalCode, billed.city].filter(Boolean).join(" "), billed.country].filter(Boolean).join(", ")}</span>
                <span>{billed.email}</span>
              </>
            ) : (
              t("purchase.noBillingDetails")
            )}
          </dd>
        </div>
      </dl>
      {message && (
        <p className={message.error ? "error" : "hint"} role={message.error ? "alert" : "status"} data-testid="invoice-message">
          {message.text}
        </p>
      )}
    </Dialog>
  );
}
