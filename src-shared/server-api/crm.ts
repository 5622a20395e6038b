import { z } from "zod";
import { PhoneLabel } from "../crm/phone-labels";
import { ClientCallId } from "./calls";

/** The company's CRM: people, organizations and deals, readable and editable by every user of the company. */
export const crmPaths = {
  people: "/api/crm/people",
  person: "/api/crm/people/:id",
  organizations: "/api/crm/organizations",
  organization: "/api/crm/organizations/:id",
  deals: "/api/crm/deals",
  deal: "/api/crm/deals/:id",
  /** POST a contacts CSV; the reply lists rejected rows. */
  importContacts: "/api/crm/import",
  /** After dialing from a contact or deal page: ties the softphone's call id to it. */
  linkCall: "/api/calls/link",
} as const;

export const crmPath = (path: string, id: string): string => path.replace(":id", encodeURIComponent(id));

/** CRM ids travel as strings (the server's integers), like call ids. */
export const CrmId = z.string().regex(/^[1-9][0-9]{0,15}$/, "an id");

export const ContactPhone = z.object({ number: z.string().regex(/^\+[1-9][0-9]{6,14}$/, "E.164"), label: PhoneLabel });
export type ContactPhone = z.infer<typeof ContactPhone>;

/** A number as the user typed it: the server reads it in the company's country. */
export const PhoneInput = z.strictObject({ number: z.string().trim().min(1).max(64), label: PhoneLabel });
export type PhoneInput = z.infer<typeof PhoneInput>;

export const dealStages = ["lead", "qualified", "proposal", "negotiation", "won", "lost"] as const;
export const DealStage = z.enum(dealStages);
export type DealStage = z.infer<typeof DealStage>;

export const Organization = z.object({
  id: z.string(),
  name: z.string(),
  phones: z.array(ContactPhone),
  updatedAt: z.number().int(),
});
export type Organization = z.infer<typeof Organization>;

export const Person = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  organizationId: z.string().nullable(),
  organizationName: z.string().nullable(),
  phones: z.array(ContactPhone),
  updatedAt: z.number().int(),
});
export type Person = z.infer<typeof Person>;

export const Deal = z.object({
  id: z.string(),
  title: z.string(),
  personId: z.string().nullable(),
  personName: z.string().nullable(),
  organizationId: z.string().nullable(),
  organizationName: z.string().nullable(),
  valueMicros: z.number().int(),
  stage: DealStage,
  updatedAt: z.number().int(),
});
export type Deal = z.infer<typeof Deal>;

const Name = z.string().trim().min(1).max(200);
const Email = z.string().trim().email().max(254);

export const OrganizationBody = z.strictObject({ name: Name, phones: z.array(PhoneInput).max(20).default([]) });
export const OrganizationPatch = z.strictObject({ name: Name.optional(), phones: z.array(PhoneInput).max(20).optional() });

export const PersonBody = z.strictObject({
  name: Name,
  email: Email.nullable().default(null),
  organizationId: CrmId.nullable().default(null),
  phones: z.array(PhoneInput).max(20).default([]),
});
export const PersonPatch = z.strictObject({
  name: Name.optional(),
  email: Email.nullable().optional(),
  organizationId: CrmId.nullable().optional(),
  phones: z.array(PhoneInput).max(20).optional(),
});

const ValueMicros = z.number().int().min(0).max(1e15);
export const DealBody = z.strictObject({
  title: Name,
  personId: CrmId.nullable().default(null),
  organizationId: CrmId.nullable().default(null),
  valueMicros: ValueMicros.default(0),
  stage: DealStage.default("lead"),
});
export const DealPatch = z.strictObject({
  title: Name.optional(),
  personId: CrmId.nullable().optional(),
  organizationId: CrmId.nullable().optional(),
  valueMicros: ValueMicros.optional(),
  stage: DealStage.optional(),
});

/** `?q=` searches names and numbers; newest edits first. */
export const CrmListQuery = z.object({ q: z.string().trim().max(100).default(""), limit: z.coerce.number().int().min(1).max(500).default(100) });

export const PeopleReply = z.object({ people: z.array(Person) });
export const OrganizationsReply = z.object({ organizations: z.array(Organization) });
export const DealsReply = z.object({ deals: z.array(Deal) });

export const ImportContactsBody = z.strictObject({
  csv: z.string().max(2_000_000),
  /** Import the valid rows even though some were rejected; otherwise a file with errors imports nothing. */
  acceptValidRows: z.boolean().default(false),
});
export const RejectedRow = z.object({ line: z.number().int(), reason: z.string() });
export const ImportContactsReply = z.object({
  imported: z.number().int(),
  rejected: z.array(RejectedRow),
  /** Rows read (valid and rejected). */
  rows: z.number().int(),
});
export type ImportContactsReply = z.infer<typeof ImportContactsReply>;

export const LinkCallBody = z
  .strictObject({ clientCallId: ClientCallId, contactId: CrmId.nullable().default(null), dealId: CrmId.nullable().default(null) })
  .refine((b) => b.contactId !== null || b.dealId !== null, "name a contact or a deal");
export const LinkCallReply = z.object({ ok: z.literal(true), linked: z.boolean() });
