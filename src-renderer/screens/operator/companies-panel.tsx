import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { parseDollars } from "../../../src-shared/credits/micros";
import type { CompanyOverview, MonthUsage } from "../../../src-shared/server-api/operator";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";
import { useMoney } from "../credits/use-money";

/** Every company: plan, balances, this and last month, and the monthly invoice limit the operator sets. */
export function CompaniesPanel() {
  const api = useApi();
  const { t } = useTranslation();
  const money = useMoney("USD");
  const [companies, setCompanies] = useState<CompanyOverview[] | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    api
      .operatorListCompanies({})
      .then((reply) => setCompanies(reply.companies))
      .catch((e: unknown) => setError(describeError(t, e)));
  }, [api, t]);
  useEffect(reload, [reload]);

  const saveLimit = (company: CompanyOverview, limitMicros: number | null) => {
    setError(null);
    setNotice(null);
    api
      .operatorSetInvoiceLimit({ companyId: company.id, limitMicros })
      .then(() => {
        setNotice(t("operator.companies.limitSaved", { company: company.name }));
        reload();
      })
      .catch((e: unknown) => setError(describeError(t, e)));
  };

  const usage = (month: MonthUsage) => t("operator.companies.usage", { count: month.calls, minutes: Math.round(month.billedSeconds / 6) / 10, cost: money(month.costMicros) });

  return (
    <section aria-labelledby="operator-companies-title" data-testid="operator-companies">
      <h2 id="operator-companies-title">{t("operator.companies.title")}</h2>
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
      {companies === null ? (
        !error && <p className="hint">{t("operator.loading")}</p>
      ) : companies.length === 0 ? (
        <p className="hint">{t("operator.companies.none")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t("operator.companies.company")}</th>
              <th scope="col">{t("operator.companies.plan")}</th>
              <th scope="col">{t("operator.companies.bonus")}</th>
              <th scope="col">{t("operator.companies.purchased")}</th>
              <th scope="col">{t("operator.companies.thisMonth")}</th>
              <th scope="col">{t("operator.companies.lastMonth")}</th>
              <th scope="col">{t("operator.companies.invoiced")}</th>
              <th scope="col">{t("operator.companies.limit")}</th>
              <th scope="col">{t("operator.companies.waiting")}</th>
            </tr>
          </thead>
          <tbody>
            {companies.map((c) => (
              <tr key={c.id} data-testid="operator-company" data-company={c.name}>
                <th scope="row">{c.name}</th>
                <td>
                  {t(`plans.${c.plan}`)}
                  {c.isTrial ? ` (${t("operator.companies.trial")})` : ""}
                </td>
                <td className="money">{money(c.bonusMicros)}</td>
                <td className="money" data-testid="company-purchased">
                  {money(c.purchasedMicros)}
                </td>
                <td>{usage(c.thisMonth)}</td>
                <td>{usage(c.lastMonth)}</td>
                <td className="money">{money(c.invoicedThisMonthMicros)}</td>
                <td>
                  <LimitEditor company={c} onSave={saveLimit} />
                </td>
                <td>{c.pendingRequests}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function LimitEditor({ company, onSave }: { company: CompanyOverview; onSave: (company: CompanyOverview, limitMicros: number | null) => void }) {
  const { t } = useTranslation();
  const money = useMoney("USD");
  const [draft, setDraft] = useState("");
  const [invalid, setInvalid] = useState(false);
  const shown = company.invoiceLimitIsDefault ? t("operator.companies.limitDefault", { amount: money(company.invoiceLimitMicros) }) : money(company.invoiceLimitMicros);
  return (
    <form
      className="ledger-filters"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = parseDollars(draft.trim());
        setInvalid(!parsed.ok);
        if (parsed.ok) onSave(company, parsed.micros);
      }}
    >
      <span data-testid="company-limit">{shown}</span>
      <label className="visually-hidden" htmlFor={`limit-${company.id}`}>
        {t("operator.companies.limit")}
      </label>
      <input id={`limit-${company.id}`} inputMode="decimal" size={6} data-testid="limit-input" value={draft} onChange={(e) => setDraft(e.target.value)} aria-invalid={invalid} />
      <button type="submit" data-testid="limit-save">
        {t("operator.companies.setLimit")}
      </button>
      {!company.invoiceLimitIsDefault && (
        <button type="button" onClick={() => onSave(company, null)}>
          {t("operator.companies.useDefault")}
        </button>
      )}
      {invalid && <span className="error">{t("operator.companies.limitInvalid")}</span>}
    </form>
  );
}
