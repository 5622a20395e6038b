import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatMoney } from "../../../src-shared/format";
import { ErrorNotice } from "../../components/ui/query-state";
import type { CrmTarget } from "./crm-pages";
import { ImportContacts } from "./import-contacts";
import { useCrmPage } from "./use-crm-page";
import { QueueBuilder } from "../power-dialer/queue-builder";

/** The rows ticked for a call queue. */
function useSelection() {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setSelected((now) => {
      const next = new Set(now);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return { selected, toggle };
}

/** People on this device, searchable by name, email or number (offline too). */
export function ContactList({ version, onOpen, onQueueBuilt }: { version: number; onOpen: (target: CrmTarget) => void; onQueueBuilt?: (() => void) | undefined }) {
  const { t } = useTranslation();
  const { selected, toggle } = useSelection();
  const [query, setQuery] = useState("");
  const list = useCrmPage("listContacts", { query, limit: 200 }, version);
  const data = list.data;
  return (
    <section className="crm-list-page" data-testid="contact-list">
      <input type="search" data-testid="contact-search" aria-label={t("crm.searchContacts")} placeholder={t("crm.searchContacts")} value={query} onChange={(e) => setQuery(e.target.value)} />
      {list.isError && <ErrorNotice error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} compact />}
      {data?.people.length === 0 && <p className="hint">{t("crm.noContacts")}</p>}
      <ImportContacts />
      {data !== undefined && data.people.length > 0 && (
        <QueueBuilder rows={data.people.map((p) => ({ kind: "contact", id: p.id, name: p.name }))} selected={selected} listName={query === "" ? t("nav.contacts") : query} onBuilt={onQueueBuilt} />
      )}
      <ul className="crm-list">
        {data?.people.map((person) => (
          <li key={person.id}>
            <input type="checkbox" data-testid="contact-select" data-user-content aria-label={t("powerDialer.select", { name: person.name })} checked={selected.has(person.id)} onChange={() => toggle(person.id)} />
            <button type="button" className="link" data-testid="contact-link" data-user-content onClick={() => onOpen({ kind: "contact", id: person.id })}>
              {person.name}
            </button>
            <span data-user-content>{person.organizationName ?? ""}</span>
            <span className="number">{person.phones[0]?.number ?? ""}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function DealsList({ version, currency, onOpen, onQueueBuilt }: { version: number; currency: string; onOpen: (target: CrmTarget) => void; onQueueBuilt?: (() => void) | undefined }) {
  const { t, i18n } = useTranslation();
  const { selected, toggle } = useSelection();
  const [query, setQuery] = useState("");
  const list = useCrmPage("listDeals", { query, limit: 200 }, version);
  const data = list.data;
  return (
    <section className="crm-list-page" data-testid="deal-list">
      <input type="search" data-testid="deal-search" aria-label={t("lists.searchDeals")} placeholder={t("lists.searchDeals")} value={query} onChange={(e) => setQuery(e.target.value)} />
      {list.isError && <ErrorNotice error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} compact />}
      {data !== undefined && data.deals.length > 0 && (
        <QueueBuilder rows={data.deals.map((d) => ({ kind: "deal", id: d.id, name: d.title }))} selected={selected} listName={query === "" ? t("nav.deals") : query} onBuilt={onQueueBuilt} />
      )}
      <ul className="crm-list">
        {data?.deals.map((deal) => (
          <li key={deal.id}>
            <input type="checkbox" data-testid="deal-select" data-user-content aria-label={t("powerDialer.select", { name: deal.title })} checked={selected.has(deal.id)} onChange={() => toggle(deal.id)} />
            <button type="button" className="link" data-testid="deal-link" data-user-content onClick={() => onOpen({ kind: "deal", id: deal.id })}>
              {deal.title}
            </button>
            <span data-user-content>{deal.personName ?? deal.organizationName ?? ""}</span>
            <span>{t(`crm.stages.${deal.stage}`)}</span>
            <span className="ui-money ui-numeric">{formatMoney(deal.valueMicros, currency, i18n.language)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
