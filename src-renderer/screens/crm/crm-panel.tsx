import { useState } from "react";
import type { SyncState } from "../../../src-shared/api/contract";
import { assertNever } from "../../../src-shared/assert-never";
import { HistoryView } from "../history/history-view";
import { ContactList, DealsList } from "./crm-lists";
import { ContactPage, DealPage, OrganizationPage, type CrmTarget } from "./crm-pages";

export type CrmSection = "history" | "contacts" | "deals";

export interface CrmPanelProps {
  section: CrmSection;
  currency: string;
  timeZone: string;
  sync: SyncState | null;
  /** A call queue was built from a list: the phone screen runs it. */
  onQueueBuilt?: () => void;
}

/** One CRM list (history, contacts or deals) and the contact's/organization's/deal's pages opened from it, with Back. */
export function CrmPanel({ section, currency, timeZone, sync, onQueueBuilt }: CrmPanelProps) {
  const [trail, setTrail] = useState<CrmTarget[]>([]);
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
    <div className="crm-panel" data-section={section}>
      {section === "history" && (
        // Kept mounted under a contact's page, so Back returns to the same search and scroll position.
        <div className="crm-history" hidden={page !== undefined}>
          <HistoryView currency={currency} timeZone={timeZone} sync={sync} onContact={(id) => open({ kind: "contact", id })} onDeal={(id) => open({ kind: "deal", id })} />
        </div>
      )}
      {page !== undefined ? (
        pageView()
      ) : section === "history" ? null : section === "contacts" ? (
        <ContactList version={version} onOpen={open} onQueueBuilt={onQueueBuilt} />
      ) : (
        <DealsList version={version} currency={currency} onOpen={open} onQueueBuilt={onQueueBuilt} />
      )}
    </div>
  );
}
