import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { SyncState } from "../../../src-shared/api/contract";
import { assertNever } from "../../../src-shared/assert-never";
import { HistoryView } from "../history/history-view";
import { ContactList, DealsList } from "./crm-lists";
import { ContactPage, DealPage, OrganizationPage, type CrmTarget } from "./crm-pages";
import { useCrmCallLink } from "./use-crm-call-link";

type Tab = "history" | "contacts" | "deals";
const tabs: readonly Tab[] = ["history", "contacts", "deals"];

export interface CrmPanelProps {
  currency: string;
  timeZone: string;
  sync: SyncState | null;
}

/** Beside the dialer: the searchable history, contacts and deals, and a contact's/organization's/deal's page. */
export function CrmPanel({ currency, timeZone, sync }: CrmPanelProps) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>("history");
  const [trail, setTrail] = useState<CrmTarget[]>([]);
  useCrmCallLink();
  const version = sync?.lastSeq ?? 0;
  const open = (target: CrmTarget) => setTrail((now) => [...now, target]);
  const back = () => setTrail((now) => now.slice(0, -1));
  const page = trail.at(-1);

  const pageView = () => {
    if (page === undefined) return null;
    const props = { id: page.id, currency, timeZone, version, onOpen: open, onBack: back };
    switch (page.kind) {
      case "contact":
        return <ContactPage key={page.id} {...props} />;
      case "organization":
        return <OrganizationPage key={page.id} {...props} />;
      case "deal":
        return <DealPage key={page.id} {...props} />;
      default:
        return assertNever(page.kind, "CRM page");
    }
  };

  return (
    <div className="crm-panel">
      <nav className="crm-tabs" role="tablist">
        {tabs.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            data-testid={`crm-tab-${name}`}
            aria-selected={tab === name && page === undefined}
            onClick={() => {
              setTab(name);
              setTrail([]);
            }}
          >
            {t(`crm.tabs.${name}`)}
          </button>
        ))}
      </nav>
      {tab === "history" && (
        // Kept mounted under a contact's page, so Back returns to the same search and scroll position.
        <div hidden={page !== undefined}>
          <HistoryView currency={currency} timeZone={timeZone} sync={sync} onContact={(id) => open({ kind: "contact", id })} onDeal={(id) => open({ kind: "deal", id })} />
        </div>
      )}
      {page !== undefined ? (
        pageView()
      ) : tab === "history" ? null : tab === "contacts" ? (
        <ContactList version={version} onOpen={open} />
      ) : (
        <DealsList version={version} currency={currency} onOpen={open} />
      )}
    </div>
  );
}
