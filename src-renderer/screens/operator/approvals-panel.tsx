import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../../src-shared/format";
import type { PurchaseRequest, PurchaseRequestStatus } from "../../../src-shared/server-api/operator";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";
import { useMoney } from "../credits/use-money";

const statusKey: Record<PurchaseRequestStatus, string> = { pending: "statusPending", approved: "statusApproved", declined: "statusDeclined" };

/** Invoice purchases over a company's limit: approve (the invoice is issued, the credit added) or decline; both are logged. */
export function ApprovalsPanel() {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const money = useMoney("USD");
  const [requests, setRequests] = useState<PurchaseRequest[] | null>(null);
  const [notes, setNotes] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    api
      .operatorListPurchaseRequests({})
      .then((reply) => setRequests(reply.requests))
      .catch((e: unknown) => setError(describeError(t, e)));
  }, [api, t]);
  useEffect(reload, [reload]);

  const decide = (request: PurchaseRequest, decision: "approve" | "decline") => {
    setBusy(true);
    setError(null);
    setNotice(null);
    const note = notes[request.id]?.trim();
    const body = { id: request.id, ...(note ? { note } : {}) };
    const amount = money(request.amountMicros);
    const done =
      decision === "approve"
        ? api.operatorApprovePurchase(body).then((purchase) => t("operator.approvals.approved", { amount, company: request.companyName, reference: purchase.reference }))
        : api.operatorDeclinePurchase(body).then(() => t("operator.approvals.declined", { amount, company: request.companyName }));
    done
      .then((text) => {
        setNotice(text);
        reload();
      })
      .catch((e: unknown) => setError(describeError(t, e)))
      .finally(() => setBusy(false));
  };

  const when = (ms: number | null) => (ms === null ? "" : formatDateTime(ms, i18n.language));
  const pending = requests?.filter((r) => r.status === "pending") ?? [];
  const decided = requests?.filter((r) => r.status !== "pending") ?? [];

  return (
    <section aria-labelledby="operator-approvals-title" data-testid="operator-approvals">
      <h2 id="operator-approvals-title">{t("operator.approvals.title")}</h2>
      <p className="hint">{t("operator.approvals.hint")}</p>
      {notice && (
        <p role="status" data-testid="operator-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {requests !== null && pending.length === 0 && <p className="hint">{t("operator.approvals.none")}</p>}
      {pending.length > 0 && (
        <table data-testid="pending-requests">
          <thead>
            <tr>
              <th scope="col">{t("operator.approvals.company")}</th>
              <th scope="col">{t("operator.approvals.amount")}</th>
              <th scope="col">{t("operator.approvals.askedBy")}</th>
              <th scope="col">{t("operator.approvals.asked")}</th>
              <th scope="col">{t("operator.approvals.note")}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {pending.map((r) => (
              <tr key={r.id} data-testid="pending-request" data-company={r.companyName}>
                <th scope="row">{r.companyName}</th>
                <td className="money">{money(r.amountMicros)}</td>
                <td>{r.requestedBy ?? ""}</td>
                <td>{when(r.createdAt)}</td>
                <td>
                  <input aria-label={t("operator.approvals.note")} value={notes[r.id] ?? ""} maxLength={500} onChange={(e) => setNotes((all) => ({ ...all, [r.id]: e.target.value }))} />
                </td>
                <td>
                  <button type="button" data-testid="approve" disabled={busy} onClick={() => decide(r, "approve")}>
                    {t("operator.approvals.approve")}
                  </button>{" "}
                  <button type="button" data-testid="decline" disabled={busy} onClick={() => decide(r, "decline")}>
                    {t("operator.approvals.decline")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {decided.length > 0 && (
        <table data-testid="decided-requests">
          <caption>{t("operator.approvals.recent")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("operator.approvals.company")}</th>
              <th scope="col">{t("operator.approvals.amount")}</th>
              <th scope="col">{t("operator.approvals.status")}</th>
              <th scope="col">{t("operator.approvals.decided")}</th>
              <th scope="col">{t("operator.approvals.note")}</th>
            </tr>
          </thead>
          <tbody>
            {decided.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.companyName}</th>
                <td className="money">{money(r.amountMicros)}</td>
                <td>{t(`operator.approvals.${statusKey[r.status]}`)}</td>
                <td>
                  {when(r.decidedAt)} {r.decidedBy ?? ""}
                </td>
                <td>{r.note ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
