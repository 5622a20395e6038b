import { z } from "zod";
import { Ok } from "../common-schemas";
import { HistoryCall } from "../contract";
import {
  Deal,
  DealBody,
  DealPatch,
  ImportContactsBody,
  ImportContactsReply,
  Organization,
  OrganizationBody,
  Person,
  PersonBody,
  PersonPatch,
} from "../../server-api/crm";
import { ClientCallId } from "../../server-api/calls";
import { DefaultOutcomeKey, maxNotesLength } from "../../server-api/company-admin";
import { EditVersion } from "../../server-api/sync-edits";
import type { crmEventNames, crmMethodNames } from "./crm-names";

const Id = z.string().min(1).max(32);
// contract.ts imports this file: its schemas are read lazily, at parse time.
const LazyHistoryCall = z.lazy(() => HistoryCall);

/** Filters of the history list; all optional, combined with AND. */
export const HistoryFilter = z.strictObject({
  /** Free text: words of names, notes and outcomes, or any run of digits of a number. */
  query: z.string().max(200).default(""),
  /** UTC ms, inclusive start and exclusive end of `startedAt`. */
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  direction: z.enum(["outbound", "inbound"]).optional(),
  /** An admin's outcome name as typed. */
  outcome: z.string().max(100).optional(),
  /** A default outcome (however the reader's language names it). */
  outcomeKey: DefaultOutcomeKey.optional(),
  hasRecording: z.boolean().optional(),
  minCostMicros: z.number().int().min(0).optional(),
  contactId: Id.optional(),
  dealId: Id.optional(),
  /** Whose calls (admins: their desktop mirrors every user's). */
  userId: Id.optional(),
});
export type HistoryFilter = z.infer<typeof HistoryFilter>;

export const HistoryTotals = z.object({ count: z.number().int(), seconds: z.number().int(), costMicros: z.number().int() });
export type HistoryTotals = z.infer<typeof HistoryTotals>;

export const historySortKeys = ["time", "party", "duration", "cost", "outcome"] as const;
export const HistorySort = z.strictObject({ by: z.enum(historySortKeys), direction: z.enum(["asc", "desc"]) });
export type HistorySort = z.infer<typeof HistorySort>;
export const newestFirst: HistorySort = { by: "time", direction: "desc" };

/** The default outcomes' labels in the reader's language: the query matches them, the outcome sort orders by them. */
export const OutcomeLabels = z.partialRecord(DefaultOutcomeKey, z.string().max(60));
export type OutcomeLabels = z.infer<typeof OutcomeLabels>;

export const SearchHistoryRequest = HistoryFilter.extend({
  /** Newest first unless asked otherwise; ties fall back to newest first. `before` pages only the newest-first order. */
  sort: HistorySort.optional(),
  outcomeLabels: OutcomeLabels.optional(),
  limit: z.number().int().min(1).max(500).default(100),
  /** Rows to skip (the virtual list jumps anywhere); or `before`, the last row of the previous page. */
  offset: z.number().int().min(0).max(10_000_000).default(0),
  before: z.strictObject({ startedAt: z.number().int(), id: z.string() }).optional(),
  /** Totals of the whole filtered set; the list asks once per filter, not per page. */
  totals: z.boolean().default(true),
});
export type SearchHistoryRequest = z.input<typeof SearchHistoryRequest>;

export const SearchHistoryReply = z.object({ calls: z.array(LazyHistoryCall), totals: HistoryTotals.nullable() });
export type SearchHistoryReply = z.infer<typeof SearchHistoryReply>;

const ListQuery = z.strictObject({ query: z.string().max(100).default(""), limit: z.number().int().min(1).max(500).default(200) });

export const ContactPage = z.object({ person: Person, deals: z.array(Deal), organization: Organization.nullable() });
export const OrganizationPage = z.object({ organization: Organization, people: z.array(Person), deals: z.array(Deal) });
export const DealPage = z.object({ deal: Deal, person: Person.nullable() });

/** An outcome and/or notes changed on a past call: shown at once, sent when online. */
export const EditCallRequest = z
  .strictObject({ id: Id, outcomeId: z.number().int().positive().optional(), notes: z.string().max(maxNotesLength).optional() })
  .refine((r) => r.outcomeId !== undefined || r.notes !== undefined, "give outcomeId or notes");
export const HistoryUser = z.object({ id: z.string(), name: z.string() });
export type HistoryUser = z.infer<typeof HistoryUser>;

export const crmMethods = {
  /** The local mirror, offline too: newest first, with totals of the filtered set. */
  searchHistory: { request: SearchHistoryRequest, response: SearchHistoryReply },
  listContacts: { request: ListQuery, response: z.object({ people: z.array(Person) }) },
  getContact: { request: z.strictObject({ id: Id }), response: ContactPage },
  listOrganizations: { request: ListQuery, response: z.object({ organizations: z.array(Organization) }) },
  getOrganization: { request: z.strictObject({ id: Id }), response: OrganizationPage },
  listDeals: { request: ListQuery, response: z.object({ deals: z.array(Deal) }) },
  getDeal: { request: z.strictObject({ id: Id }), response: DealPage },
  /** Creating goes to the server (online only) and comes back through the change feed. */
  createContact: { request: PersonBody, response: Person },
  /** Offline too: applied to this device's copy at once and queued; the server decides per field (docs/sync-rules.md). */
  updateContact: { request: z.strictObject({ id: Id, patch: PersonPatch }), response: Person },
  editCall: { request: EditCallRequest, response: LazyHistoryCall },
  /** Earlier versions of a contact's or call's fields (replaced, or an edit that lost): online only. */
  getEditHistory: { request: z.strictObject({ entity: z.enum(["person", "call"]), id: Id }), response: z.object({ versions: z.array(EditVersion) }) },
  /** For an admin's "by user" filter: the company's users (the last list seen, offline); empty for everyone else. */
  listHistoryUsers: { request: z.strictObject({}), response: z.object({ users: z.array(HistoryUser) }) },
  createOrganization: { request: OrganizationBody, response: Organization },
  createDeal: { request: DealBody, response: Deal },
  updateDeal: { request: z.strictObject({ id: Id, patch: DealPatch }), response: Deal },
  importContacts: { request: ImportContactsBody, response: ImportContactsReply },
  /** Click-to-call: fills the dialer like a link would (or dials, with placeCall), and remembers the contact/deal for the call that follows. */
  dialFromCrm: {
    request: z.strictObject({
      number: z.string().regex(/^\+[1-9][0-9]{6,14}$/),
      contactId: Id.nullable().default(null),
      dealId: Id.nullable().default(null),
      /** History's call-back: the dialer places the call at once, as the tray's Call does. */
      placeCall: z.boolean().optional(),
    }),
    response: Ok,
  },
  /** The softphone placed a call: when it is the number a CRM page just asked for, the server links it. */
  linkDialedCall: { request: z.strictObject({ clientCallId: ClientCallId, number: z.string().max(32) }), response: z.object({ linked: z.boolean() }) },
} as const satisfies Record<(typeof crmMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const crmEvents = {} as const satisfies Record<(typeof crmEventNames)[number], z.ZodType>;
