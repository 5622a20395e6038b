import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatMoney } from "../../../src-shared/format";
import { useApi } from "../../api-context";
import type { CrmTarget } from "./crm-pages";
import { ImportContacts } from "./import-contacts";
import { useCrmPage } from "./use-crm-page";

/** People on this device, searchable by name, email or number (offline too). */
export function ContactList({ version, onOpen }: { version: number; onOpen: (target: CrmTarget) => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [query, setQuery] = useState("");
  const { data, error } = useCrmPage(() => api.listContacts({ query, limit: 200 }), [api, query, version]);
  return (
    <section className="crm-list-page" data-testid="contact-list">
      <input type="search" data-testid="contact-search" aria-label={t("crm.searchContacts")} placeholder={t("crm.searchContacts")} value={query} onChange={(e) => setQuery(e.target.value)} />
      {error && <p role="alert" className="error">{error}</p>}
      {data?.people.length === 0 && <p className="hint">{t("crm.noContacts")}</p>}
      <ImportContacts />
      <ul className="crm-list">
        {data?.people.map((person) => (
          <li key={person.id}>
            <button type="button" className="link" data-testid="contact-link" onClick={() => onOpen({ kind: "contact", id: person.id })}>
              {person.name}
            </button>
            <span>{person.organizationName ?? ""}</span>
            <span className="number">{person.phones[0]?.number ?? ""}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function DealsList({ version, currency, onOpen }: { version: number; currency: string; onOpen: (target: CrmTarget) => void }) {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState("");
  const { data, error } = useCrmPage(() => api.listDeals({ query, limit: 200 }), [api, query, version]);
  return (
    <section className="crm-list-page" data-testid="deal-list">
      <input type="search" aria-label={t("crm.deals")} value={query} onChange={(e) => setQuery(e.target.value)} />
      {error && <p role="alert" className="error">{error}</p>}
      <ul className="crm-list">
        {data?.deals.map((deal) => (
          <li key={deal.id}>
            <button type="button" className="link" data-testid="deal-link" onClick={() => onOpen({ kind: "deal", id: deal.id })}>
              {deal.title}
            </button>
            <span>{deal.personName ?? deal.organizationName ?? ""}</span>
            <span>{t(`crm.stages.${deal.stage}`)}</span>
            <span>{formatMoney(deal.valueMicros, currency, i18n.language)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
