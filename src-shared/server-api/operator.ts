import { z } from "zod";
import { maxInvoiceLimitMicros } from "../credits/invoice-limit";
import { Plan } from "../domain/company";
import { OperatorAccount } from "./auth";
import { RatesQuery, RatesReply, TariffImportReply, TariffRate, TariffVersionsReply } from "./credits";

/**
 * The operator's routes: the business that runs the server and pays the
 * carrier. It belongs to no company; its session works only here, and no
 * company session works here.
 */
export const operatorPaths = {
  signOut: "/api/operator/sign-out",
  me: "/api/operator/me",
  /** GET: every company's balances and usage. */
  companies: "/api/operator/companies",
  /** PUT: the company's monthly invoice limit. */
  invoiceLimit: "/api/operator/companies/:id/invoice-limit",
  /** GET: invoice purchases over a limit, pending first. */
  purchaseRequests: "/api/operator/purchase-requests",
  approve: "/api/operator/purchase-requests/:id/approve",
  decline: "/api/operator/purchase-requests/:id/decline",
  tariffVersions: "/api/operator/tariff/versions",
  tariffRates: "/api/operator/tariff/rates",
  tariffRatesCsv: "/api/operator/tariff/rates.csv",
  /** POST: what a file would change; nothing is written. */
  tariffPreview: "/api/operator/tariff/preview",
  /** POST: the file becomes the current tariff. */
  tariffImport: "/api/operator/tariff/import",
  /** POST: an earlier version's rates become the current tariff again. */
  tariffRestore: "/api/operator/tariff/versions/:id/restore",
  /** GET: the default blocked ranges and the operator's rules; POST: a rule. */
  blocks: "/api/operator/blocks",
  /** DELETE: a rule. */
  block: "/api/operator/blocks/:id",
  /** GET: SIP sources banned for failing authentication (in force; `?history=true` also ended ones). */
  sipBans: "/api/operator/sip-bans",
  /** POST: the ban ends now; Asterisk lets the source in again at its next ACL read. */
  sipBanLift: "/api/operator/sip-bans/:id/lift",
} as const;

export { OperatorAccount };

const Micros = z.number().int();

export const MonthUsage = z.object({ calls: z.number().int(), billedSeconds: z.number().int(), costMicros: Micros });
export type MonthUsage = z.infer<typeof MonthUsage>;

export const CompanyOverview = z.object({
  id: z.number().int(),
  name: z.string(),
  plan: Plan,
  isTrial: z.boolean(),
  currency: z.string().length(3),
  timeZone: z.string(),
  bonusMicros: Micros,
  purchasedMicros: Micros,
  /** Calendar months in the company's zone. */
  thisMonth: MonthUsage,
  lastMonth: MonthUsage,
  /** The limit in force (the company's own or the default). */
  invoiceLimitMicros: Micros,
  invoiceLimitIsDefault: z.boolean(),
  invoicedThisMonthMicros: Micros,
  pendingRequests: z.number().int(),
});
export type CompanyOverview = z.infer<typeof CompanyOverview>;

export const CompaniesReply = z.object({ companies: z.array(CompanyOverview), defaultInvoiceLimitMicros: Micros });
export type CompaniesReply = z.infer<typeof CompaniesReply>;

export const InvoiceLimitBody = z.strictObject({
  /** null: back to the service default. */
  limitMicros: Micros.min(0).max(maxInvoiceLimitMicros).nullable(),
});
export type InvoiceLimitBody = z.infer<typeof InvoiceLimitBody>;

export const purchaseRequestStatuses = ["pending", "approved", "declined"] as const;
export const PurchaseRequestStatus = z.enum(purchaseRequestStatuses);
export type PurchaseRequestStatus = z.infer<typeof PurchaseRequestStatus>;

export const PurchaseRequest = z.object({
  id: z.number().int(),
  companyId: z.number().int(),
  companyName: z.string(),
  amountMicros: Micros,
  requestedBy: z.string().nullable(),
  status: PurchaseRequestStatus,
  createdAt: z.number().int(),
  decidedAt: z.number().int().nullable(),
  decidedBy: z.string().nullable(),
  note: z.string().nullable(),
  /** The invoice issued on approval. */
  reference: z.string().nullable(),
});
export type PurchaseRequest = z.infer<typeof PurchaseRequest>;

export const PurchaseRequestsQuery = z.object({ status: PurchaseRequestStatus.optional() });
export const PurchaseRequestsReply = z.object({ requests: z.array(PurchaseRequest) });
export type PurchaseRequestsReply = z.infer<typeof PurchaseRequestsReply>;

export const DecisionBody = z.strictObject({ note: z.string().trim().max(500).optional() });
export type DecisionBody = z.infer<typeof DecisionBody>;

/** A tariff of 400,000 rows with long destination names is ~30 MB of CSV. */
export const maxTariffCsvChars = 40 * 1024 * 1024;

export const TariffPreviewBody = z.strictObject({
  fileName: z.string().min(1).max(200),
  csv: z.string().max(maxTariffCsvChars),
});
export type TariffPreviewBody = z.infer<typeof TariffPreviewBody>;

const Rejected = TariffImportReply.shape.rejected;
/** Preview lists are cut here; the counts are always whole. */
export const previewListLimit = 500;

export const TariffPreviewReply = z.object({
  /** The version the changes are counted against; commit with it so a version imported meanwhile is noticed. */
  basedOn: z.number().int().nullable(),
  rows: z.number().int(),
  counts: z.object({ added: z.number().int(), changed: z.number().int(), removed: z.number().int(), unchanged: z.number().int() }),
  added: z.array(TariffRate),
  changed: z.array(z.object({ before: TariffRate, after: TariffRate })),
  removed: z.array(TariffRate),
  rejected: Rejected,
});
export type TariffPreviewReply = z.infer<typeof TariffPreviewReply>;

export const OperatorTariffImportBody = TariffPreviewBody.extend({
  /** false: a file with any rejected row imports nothing. */
  acceptValidRows: z.boolean(),
  /** The preview's `basedOn`: refused (409) when another version became current since. */
  basedOn: z.number().int().nullable().optional(),
});
export type OperatorTariffImportBody = z.infer<typeof OperatorTariffImportBody>;

export { RatesQuery, RatesReply, TariffImportReply, TariffRate, TariffVersionsReply };

export const TariffRestoreReply = z.object({ version: z.number().int() });
export type TariffRestoreReply = z.infer<typeof TariffRestoreReply>;

export const destinationActions = ["block", "allow"] as const;
export const DestinationAction = z.enum(destinationActions);
export type DestinationAction = z.infer<typeof DestinationAction>;

/** "+" and the E.164 digits a range starts with. */
export const DestinationPrefix = z.string().regex(/^\+[1-9][0-9]{0,14}$/, "a + and 1–15 digits, e.g. +4470");

export const DefaultBlockedRange = z.object({ prefix: z.string(), name: z.string() });
export type DefaultBlockedRange = z.infer<typeof DefaultBlockedRange>;

export const DestinationRule = z.object({
  id: z.number().int(),
  prefix: z.string(),
  /** null: the whole service. */
  companyId: z.number().int().nullable(),
  companyName: z.string().nullable(),
  action: DestinationAction,
  note: z.string(),
  createdBy: z.string(),
  createdAt: z.number().int(),
});
export type DestinationRule = z.infer<typeof DestinationRule>;

export const BlocksReply = z.object({
  /** Blocked unless a rule allows them: the IRSF ranges the service ships with. */
  defaults: z.array(DefaultBlockedRange),
  /** Where the default list comes from. */
  defaultsSource: z.string(),
  rules: z.array(DestinationRule),
});
export type BlocksReply = z.infer<typeof BlocksReply>;

export const DestinationRuleBody = z.strictObject({
  prefix: DestinationPrefix,
  companyId: z.number().int().nullable(),
  action: DestinationAction,
  note: z.string().trim().max(200).default(""),
});
export type DestinationRuleBody = z.infer<typeof DestinationRuleBody>;

export const SipBan = z.object({
  id: z.number().int(),
  address: z.string(),
  /** Failed authentications counted in the window that led to the ban. */
  failures: z.number().int(),
  firstFailureAt: z.number().int(),
  bannedAt: z.number().int(),
  /** UTC ms; the ban ends by itself then. */
  bannedUntil: z.number().int(),
  liftedBy: z.string().nullable(),
  liftedAt: z.number().int().nullable(),
});
export type SipBan = z.infer<typeof SipBan>;

export const SipBansQuery = z.object({ history: z.enum(["true", "false"]).optional() });
export const SipBansReply = z.object({ bans: z.array(SipBan) });
export type SipBansReply = z.infer<typeof SipBansReply>;
