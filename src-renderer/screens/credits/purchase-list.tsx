import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../../src-shared/format";
import type { PurchaseListItem } from "../../../src-shared/server-api/credits";
import { EmptyState } from "../../components/ui/empty-state";
import { QueryState } from "../../components/ui/query-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "../../components/ui/table";
import { useCoreQuery } from "../../query/core-query";
import { InvoiceDialog } from "./invoice-dialog";
import { useMoney } from "./use-money";

/** The company's purchases, newest first: each invoice number opens that invoice. */
export function PurchaseList({ currency, timeZone, revision }: { currency: string; timeZone: string; revision: number }) {
  const { t, i18n } = useTranslation();
  const money = useMoney(currency);
  // A purchase bumps the revision: the list is asked again.
  const purchases = useCoreQuery("listPurchases", {}, { deps: [revision] });
  const [open, setOpen] = useState<PurchaseListItem | null>(null);
  return (
    <section className="purchase-list" aria-labelledby="purchase-list-title">
      <h3 id="purchase-list-title">{t("purchase.listTitle")}</h3>
      <QueryState query={purchases} compact>
        {({ purchases: rows }) =>
          rows.length === 0 ? (
            <EmptyState title={t("purchase.listEmpty")} testId="purchase-list-empty" />
          ) : (
            <Table data-testid="purchase-list">
              <TableHeader>
                <tr>
                  <TableHead>{t("purchase.date")}</TableHead>
                  <TableHead numeric>{t("purchase.amount")}</TableHead>
                  <TableHead>{t("purchase.invoice")}</TableHead>
                  <TableHead>{t("purchase.boughtBy")}</TableHead>
                </tr>
              </TableHeader>
              <TableBody>
                {rows.map((row) => (
                  <TableRow key={row.id} data-testid="purchase-row" data-purchase-id={row.id}>
                    <TableCell>{formatDateTime(row.createdAt, i18n.language, timeZone)}</TableCell>
                    <TableCell numeric>{money(row.amountMicros)}</TableCell>
                    <TableCell>
                      <button type="button" className="link-button" aria-label={t("purchase.openInvoice", { reference: row.reference })} onClick={() => setOpen(row)} data-testid="purchase-invoice-link">
                        {row.reference}
                      </button>
                    </TableCell>
                    <TableCell>{row.boughtBy ?? t("purchase.unknownBuyer")}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )
        }
      </QueryState>
      {open && <InvoiceDialog purchase={open} money={money} timeZone={timeZone} onClose={() => setOpen(null)} />}
    </section>
  );
}
