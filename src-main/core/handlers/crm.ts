import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { crmMethodNames } from "../../../src-shared/api/areas/crm-names";
import { CallerError } from "../../../src-shared/errors";
import { Deal, ImportContactsReply, LinkCallReply, Organization, Person, crmPath, crmPaths } from "../../../src-shared/server-api/crm";
import type { CoreContext } from "../core-context";
import { getLocalDeal, getLocalOrganization, getLocalPerson, listLocalDeals, listLocalOrganizations, listLocalPeople } from "../store/crm-repo";
import { historyTotals, searchCalls } from "../store/history-search";

export type CrmHandlers = Pick<ApiHandlers, (typeof crmMethodNames)[number]>;

/** A click-to-call is tied to the call the softphone places to that number within this time. */
const dialLinkWindowMs = 2 * 60_000;

interface PendingCrmDial {
  number: string;
  contactId: string | null;
  dealId: string | null;
  at: number;
}

const notMirrored = (what: string): CallerError => new CallerError("not_found", `No such ${what} on this device (sync first)`);

/** Reads come from the local mirror (offline too); edits go to the server and return through the change feed. */
export function crmHandlers(ctx: CoreContext): CrmHandlers {
  const { db, session } = ctx;
  let pendingDial: PendingCrmDial | null = null;

  const afterWrite = <T>(value: T): T => {
    ctx.syncSoon();
    return value;
  };

  return {
    async searchHistory({ limit, offset, before, totals, ...filter }) {
      const [calls, sums] = await Promise.all([searchCalls(db, filter, { limit, offset, before }), totals ? historyTotals(db, filter) : Promise.resolve(null)]);
      return { calls, totals: sums };
    },
    listContacts: async ({ query, limit }) => ({ people: await listLocalPeople(db, query, limit) }),
    async getContact({ id }) {
      const person = await getLocalPerson(db, id);
      if (person === undefined) throw notMirrored("contact");
      const organization = person.organizationId === null ? null : ((await getLocalOrganization(db, person.organizationId)) ?? null);
      return { person, organization, deals: await listLocalDeals(db, { personId: id }, 200) };
    },
    listOrganizations: async ({ query, limit }) => ({ organizations: await listLocalOrganizations(db, query, limit) }),
    async getOrganization({ id }) {
      const organization = await getLocalOrganization(db, id);
      if (organization === undefined) throw notMirrored("organization");
      return { organization, people: await listLocalPeople(db, "", 500, id), deals: await listLocalDeals(db, { organizationId: id }, 200) };
    },
    listDeals: async ({ query, limit }) => ({ deals: await listLocalDeals(db, { q: query }, limit) }),
    async getDeal({ id }) {
      const deal = await getLocalDeal(db, id);
      if (deal === undefined) throw notMirrored("deal");
      return { deal, person: deal.personId === null ? null : ((await getLocalPerson(db, deal.personId)) ?? null) };
    },
    createContact: async (body) => afterWrite(await session.request(Person, "POST", crmPaths.people, body)),
    updateContact: async ({ id, patch }) => afterWrite(await session.request(Person, "PATCH", crmPath(crmPaths.person, id), patch)),
    createOrganization: async (body) => afterWrite(await session.request(Organization, "POST", crmPaths.organizations, body)),
    createDeal: async (body) => afterWrite(await session.request(Deal, "POST", crmPaths.deals, body)),
    updateDeal: async ({ id, patch }) => afterWrite(await session.request(Deal, "PATCH", crmPath(crmPaths.deal, id), patch)),
    importContacts: async (body) => afterWrite(await session.request(ImportContactsReply, "POST", crmPaths.importContacts, body)),
    dialFromCrm({ number, contactId, dealId }) {
      pendingDial = { number, contactId, dealId, at: Date.now() };
      ctx.events.emit("dialRequested", { number, source: "crm", problem: null, extension: null });
      return Promise.resolve({ ok: true as const });
    },
    async linkDialedCall({ clientCallId, number }) {
      const pending = pendingDial;
      if (pending === null || pending.number !== number || Date.now() - pending.at > dialLinkWindowMs) return { linked: false };
      pendingDial = null;
      await session.request(LinkCallReply, "POST", crmPaths.linkCall, { clientCallId, contactId: pending.contactId, dealId: pending.dealId });
      ctx.syncSoon();
      return { linked: true };
    },
  };
}
