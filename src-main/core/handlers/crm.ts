import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { crmMethodNames } from "../../../src-shared/api/areas/crm-names";
import type { HistoryUser } from "../../../src-shared/api/areas/crm";
import { CallerError } from "../../../src-shared/errors";
import { AdminUsersReply } from "../../../src-shared/server-api/admin";
import { OutcomesReply } from "../../../src-shared/server-api/company-admin";
import { Deal, ImportContactsReply, LinkCallReply, Organization, Person, crmPath, crmPaths } from "../../../src-shared/server-api/crm";
import { serverPaths } from "../../../src-shared/server-api/paths";
import { EditHistoryReply, editPath, syncEditPaths } from "../../../src-shared/server-api/sync-edits";
import { normalizeContactPhones } from "../../../src-shared/crm/contact-phones";
import { z } from "zod";
import type { CoreContext } from "../core-context";
import { getCall } from "../store/calls-repo";
import { getLocalDeal, getLocalOrganization, getLocalPerson, listLocalDeals, listLocalOrganizations, listLocalPeople } from "../store/crm-repo";
import { historyTotals, searchCalls } from "../store/history-search";
import { getSetting, setSetting } from "../store/settings-repo";
import { queueEdit } from "../sync-outbox";

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
/** The outcome list the end-of-call picker keeps for offline use (handlers/company.ts). */
const outcomesCacheKey = "company.outcomes";
const historyUsersKey = "crm.historyUsers";
const HistoryUsers = z.array(z.object({ id: z.string(), name: z.string() }));

/** Reads come from the local mirror (offline too); edits go to the server and return through the change feed. */
export function crmHandlers(ctx: CoreContext): CrmHandlers {
  const { db, session } = ctx;
  let pendingDial: PendingCrmDial | null = null;

  const afterWrite = <T>(value: T): T => {
    ctx.syncSoon();
    return value;
  };
  const signedInUser = async () => {
    const state = await session.state();
    if (!state.signedIn) throw new CallerError("not_signed_in", "Sign in first.");
    return state;
  };
  const afterQueue = async (): Promise<void> => {
    await ctx.sync.noteQueued();
    ctx.syncSoon();
  };

  return {
    async searchHistory({ limit, offset, before, totals, sort, outcomeLabels, ...filter }) {
      const [calls, sums] = await Promise.all([
        searchCalls(db, filter, { limit, offset, before }, { sort, outcomeLabels }),
        totals ? historyTotals(db, filter, outcomeLabels) : Promise.resolve(null),
      ]);
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
    async updateContact({ id, patch }) {
      const state = await signedInUser();
      if ((await getLocalPerson(db, id)) === undefined) throw notMirrored("contact");
      const { phones, ...rest } = patch;
      const normalized = phones === undefined ? {} : { phones: normalizeContactPhones(phones, state.company.country) };
      await queueEdit(db, { kind: "person-edit", payload: { userId: state.user.id, id, editedAt: Date.now(), patch: { ...rest, ...normalized } } });
      await afterQueue();
      const person = await getLocalPerson(db, id);
      if (person === undefined) throw notMirrored("contact");
      return person;
    },
    async editCall({ id, outcomeId, notes }) {
      const state = await signedInUser();
      if ((await getCall(db, id)) === undefined) throw notMirrored("call");
      const offered = (await getSetting(db, outcomesCacheKey, OutcomesReply, { outcomes: [], required: false })).outcomes.find((o) => o.id === outcomeId);
      const shown = { ...(offered?.name == null ? {} : { outcomeName: offered.name }), ...(offered?.key == null ? {} : { outcomeKey: offered.key }) };
      const patch = { ...(outcomeId === undefined ? {} : { outcomeId }), ...(notes === undefined ? {} : { notes }) };
      await queueEdit(db, { kind: "call-edit", payload: { userId: state.user.id, id, editedAt: Date.now(), patch, ...shown } });
      await afterQueue();
      const call = await getCall(db, id);
      if (call === undefined) throw notMirrored("call");
      return call;
    },
    getEditHistory: ({ entity, id }) => session.request(EditHistoryReply, "GET", editPath(entity === "person" ? syncEditPaths.personHistory : syncEditPaths.callHistory, id)),
    async listHistoryUsers() {
      const state = await signedInUser();
      if (state.user.role !== "admin") return { users: [] };
      try {
        const reply = await session.request(AdminUsersReply, "GET", serverPaths.adminUsers);
        const users: HistoryUser[] = reply.users.map((u) => ({ id: String(u.id), name: u.name || u.email }));
        await setSetting(db, historyUsersKey, users);
        return { users };
      } catch (error) {
        if (!(error instanceof CallerError && error.code === "server_unreachable")) throw error;
        return { users: await getSetting(db, historyUsersKey, HistoryUsers, []) };
      }
    },
    createOrganization: async (body) => afterWrite(await session.request(Organization, "POST", crmPaths.organizations, body)),
    createDeal: async (body) => afterWrite(await session.request(Deal, "POST", crmPaths.deals, body)),
    updateDeal: async ({ id, patch }) => afterWrite(await session.request(Deal, "PATCH", crmPath(crmPaths.deal, id), patch)),
    importContacts: async (body) => afterWrite(await session.request(ImportContactsReply, "POST", crmPaths.importContacts, body)),
    dialFromCrm({ number, contactId, dealId, placeCall }) {
      pendingDial = { number, contactId, dealId, at: Date.now() };
      ctx.events.emit("dialRequested", { number, source: "crm", problem: null, extension: null, ...(placeCall === true ? { placeCall } : {}) });
      return Promise.resolve({ ok: true as const });
    },
    async linkDialedCall({ clientCallId, number }) {
      const pending = pendingDial;
      if (pending === null || pending.number !== number || Date.now() - pending.at > dialLinkWindowMs) return { linked: false };
      pendingDial = null;
      ctx.dialLinks.remember(clientCallId, { contactId: pending.contactId, dealId: pending.dealId });
      await session.request(LinkCallReply, "POST", crmPaths.linkCall, { clientCallId, contactId: pending.contactId, dealId: pending.dealId });
      ctx.syncSoon();
      return { linked: true };
    },
  };
}
