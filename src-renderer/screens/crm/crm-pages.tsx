import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Deal } from "../../../src-shared/server-api/crm";
import { formatMoney } from "../../../src-shared/format";
import { ErrorNotice } from "../../components/ui/query-state";
import { Skeleton } from "../../components/ui/spinner";
import { ContactEditor } from "./contact-editor";
import { CrmCalls } from "./crm-calls";
import { EditVersions } from "./edit-versions";
import { PhoneNumbers } from "./phone-numbers";
import { useCrmPage } from "./use-crm-page";

/** A CRM page's loading skeleton, or its error with Retry. */
function PageLoadState({ query }: { query: { isPending: boolean; isError: boolean; error: unknown; isFetching: boolean; refetch: () => Promise<unknown> } }) {
  if (query.isError) return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} compact />;
  return query.isPending ? <Skeleton lines={4} /> : null;
}

export type CrmTarget = { kind: "contact" | "organization" | "deal"; id: string };

export interface CrmPageProps {
  id: string;
  currency: string;
  timeZone: string;
  version: number;
  onOpen: (target: CrmTarget) => void;
  onBack: () => void;
}

function BackButton({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="link" data-testid="crm-back" onClick={onBack}>
      ← {t("crm.back")}
    </button>
  );
}

function DealList({ deals, currency, onOpen }: { deals: readonly Deal[]; currency: string; onOpen: CrmPageProps["onOpen"] }) {
  const { t, i18n } = useTranslation();
  if (deals.length === 0) return null;
  return (
    <>
      <h3>{t("crm.deals")}</h3>
      <ul className="crm-list">
        {deals.map((deal) => (
          <li key={deal.id}>
            <button type="button" className="link" data-testid="crm-deal-link" onClick={() => onOpen({ kind: "deal", id: deal.id })}>
              {deal.title}
            </button>
            <span>{t(`crm.stages.${deal.stage}`)}</span>
            <span>{formatMoney(deal.valueMicros, currency, i18n.language)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** A person: numbers with click-to-call, organization, deals, and their calls. */
export function ContactPage({ id, currency, timeZone, version, onOpen, onBack }: CrmPageProps) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  // A local edit changes no sync seq: reload the page after one.
  const [saved, setSaved] = useState(0);
  const query = useCrmPage("getContact", { id }, version, saved);
  const data = query.data;
  return (
    <section className="crm-page" data-testid="contact-page" data-contact-id={id}>
      <BackButton onBack={onBack} />
      <PageLoadState query={query} />
      {data && editing && (
        <ContactEditor
          person={data.person}
          onDone={(changed) => {
            setEditing(false);
            if (changed) setSaved((n) => n + 1);
          }}
        />
      )}
      {data && !editing && (
        <>
          <h2 data-testid="contact-name">{data.person.name}</h2>
          <button type="button" data-testid="contact-edit" onClick={() => setEditing(true)}>
            {t("crm.edit")}
          </button>
          {data.organization && (
            <p>
              {t("crm.organization")}:{" "}
              <button type="button" className="link" onClick={() => onOpen({ kind: "organization", id: data.organization!.id })}>
                {data.organization.name}
              </button>
            </p>
          )}
          {data.person.email && (
            <p>
              {t("crm.email")}: <a data-testid="contact-email" href={`mailto:${data.person.email}`}>{data.person.email}</a>
            </p>
          )}
          <h3>{t("crm.phones")}</h3>
          <PhoneNumbers phones={data.person.phones} contactId={id} dealId={null} />
          <EditVersions entity="person" id={id} />
          <DealList deals={data.deals} currency={currency} onOpen={onOpen} />
          <CrmCalls contactId={id} currency={currency} timeZone={timeZone} version={version} />
        </>
      )}
    </section>
  );
}

/** An organization: its numbers, people and deals. */
export function OrganizationPage({ id, currency, version, onOpen, onBack }: CrmPageProps) {
  const { t } = useTranslation();
  const query = useCrmPage("getOrganization", { id }, version);
  const data = query.data;
  return (
    <section className="crm-page" data-testid="organization-page">
      <BackButton onBack={onBack} />
      <PageLoadState query={query} />
      {data && (
        <>
          <h2>{data.organization.name}</h2>
          <h3>{t("crm.phones")}</h3>
          <PhoneNumbers phones={data.organization.phones} contactId={null} dealId={null} />
          <h3>{t("crm.people")}</h3>
          <ul className="crm-list">
            {data.people.map((person) => (
              <li key={person.id}>
                <button type="button" className="link" onClick={() => onOpen({ kind: "contact", id: person.id })}>
                  {person.name}
                </button>
              </li>
            ))}
          </ul>
          <DealList deals={data.deals} currency={currency} onOpen={onOpen} />
        </>
      )}
    </section>
  );
}

/** A deal: value, stage, its contact's numbers (calls from here belong to the deal), and its calls. */
export function DealPage({ id, currency, timeZone, version, onOpen, onBack }: CrmPageProps) {
  const { t, i18n } = useTranslation();
  const query = useCrmPage("getDeal", { id }, version);
  const data = query.data;
  return (
    <section className="crm-page" data-testid="deal-page">
      <BackButton onBack={onBack} />
      <PageLoadState query={query} />
      {data && (
        <>
          <h2>{data.deal.title}</h2>
          <p>
            {t("crm.stage")}: {t(`crm.stages.${data.deal.stage}`)} · {t("crm.value")}: {formatMoney(data.deal.valueMicros, currency, i18n.language)}
          </p>
          {data.person && (
            <>
              <p>
                {t("crm.contact")}:{" "}
                <button type="button" className="link" onClick={() => onOpen({ kind: "contact", id: data.person!.id })}>
                  {data.person.name}
                </button>
              </p>
              <PhoneNumbers phones={data.person.phones} contactId={data.person.id} dealId={id} />
            </>
          )}
          <CrmCalls dealId={id} currency={currency} timeZone={timeZone} version={version} />
        </>
      )}
    </section>
  );
}
