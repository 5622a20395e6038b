import { z } from "zod";
import { BillingIncrements, TariffKind } from "../credits/tariff";
import { tariffRejectCodes } from "../credits/tariff-csv-fields";

/**
 * Calling credits over HTTP. Every amount is integer micro-dollars; every
 * time UTC ms. Admin only, except the rate quote any Caller user needs for the
 * dialer; every route answers 403 to a company whose plan has no Caller.
 */
export const creditsPaths = {
  /** GET (admin): balances and what may be bought. */
  summary: "/api/credits",
  /** POST (admin): buy a unit. GET (admin): the company's purchases, newest first. */
  purchases: "/api/credits/purchases",
  /** GET (admin): one purchase's invoice as a PDF, in the company's language. */
  purchaseInvoice: "/api/credits/purchases/:id/invoice.pdf",
  /** GET/PUT (admin). */
  billingDetails: "/api/credits/billing-details",
  /** GET (admin): entries, newest first, filtered. */
  ledger: "/api/credits/ledger",
  /** GET (admin): the same filters as a CSV file. */
  ledgerCsv: "/api/credits/ledger.csv",
  /** GET (admin): spend by day and destination, by user, by destination. */
  usage: "/api/credits/usage",
  /** PUT (admin). */
  lowBalance: "/api/credits/low-balance",
  /** GET (user with Caller): rate and minutes for one number, before dialing. */
  quote: "/api/credits/quote",
  /** GET (admin): the rates in force, read-only (the operator sets them). */
  rates: "/api/credits/rates",
  /** GET (admin): the same rates as a tariff CSV file. */
  ratesCsv: "/api/credits/rates.csv",
} as const;

export const creditBuckets = ["bonus", "purchased"] as const;
export const CreditBucket = z.enum(creditBuckets);
export type CreditBucket = z.infer<typeof CreditBucket>;

export const ledgerKinds = ["grant", "expiry", "purchase", "call_charge", "refund", "adjustment"] as const;
export const LedgerKind = z.enum(ledgerKinds);
export type LedgerKind = z.infer<typeof LedgerKind>;

const Micros = z.number().int();

export const CreditsSummary = z.object({
  bonusMicros: Micros,
  purchasedMicros: Micros,
  /** Held by calls in progress; what new calls may spend is the total minus this. */
  reservedMicros: Micros,
  /** When this month's bonus expires (the first instant of next month in the company's zone). */
  bonusExpiresAt: z.number().int(),
  /** Users with Caller this month: each adds the monthly bonus. */
  callerUsers: z.number().int(),
  monthlyBonusMicros: Micros,
  /** The units this company may buy now ($5 only for a trial). */
  purchaseUnitsMicros: z.array(Micros),
  isTrial: z.boolean(),
  billingDetailsOnFile: z.boolean(),
  /** null: no low-balance warning. */
  lowBalanceThresholdMicros: Micros.nullable(),
  /** The company's currency for display (amounts stay USD micro-dollars). */
  currency: z.string().length(3),
  /** Invoice purchases posted this calendar month; past the limit a purchase waits for the operator. */
  invoicedThisMonthMicros: Micros,
  invoiceLimitMicros: Micros,
  /** Purchases waiting for the operator's approval, oldest first. */
  awaitingApproval: z.array(z.object({ id: z.string(), amountMicros: Micros, createdAt: z.number().int() })),
});
export type CreditsSummary = z.infer<typeof CreditsSummary>;

export const PurchaseBody = z.strictObject({
  amountMicros: Micros,
  /** The app's key for this click: a retried request buys once. */
  idempotencyKey: z.string().min(8).max(64),
});
export type PurchaseBody = z.infer<typeof PurchaseBody>;

export const Purchase = z.object({
  id: z.string(),
  amountMicros: Micros,
  /** The payment provider's reference (an invoice number for the invoice provider); empty until approved. */
  reference: z.string(),
  /** awaiting_approval: over the company's invoice limit, the operator decides (no credit yet). */
  status: z.enum(["invoiced", "paid", "awaiting_approval", "declined"]),
  createdAt: z.number().int(),
});
export type Purchase = z.infer<typeof Purchase>;

export const InvoiceParams = z.object({ id: z.string().regex(/^[1-9][0-9]{0,15}$/, "a purchase id") });

export const BillingDetails = z.strictObject({
  companyName: z.string().trim().min(1).max(200),
  email: z.email().max(254),
  addressLine1: z.string().trim().min(1).max(200),
  addressLine2: z.string().trim().max(200).default(""),
  city: z.string().trim().min(1).max(100),
  postalCode: z.string().trim().max(20).default(""),
  country: z.string().regex(/^[A-Z]{2}$/),
  taxId: z.string().trim().max(40).default(""),
});
export type BillingDetails = z.infer<typeof BillingDetails>;

/** A purchase in the admin's list: its invoice number opens the invoice. */
export const PurchaseListItem = z.object({
  id: z.string(),
  amountMicros: Micros,
  /** The invoice number. */
  reference: z.string(),
  status: z.enum(["invoiced", "paid"]),
  createdAt: z.number().int(),
  /** The admin who bought it; null when that user no longer exists. */
  boughtBy: z.string().nullable(),
  /** Who the invoice is made out to, as on file at the purchase; null: nothing was on file. */
  billedTo: BillingDetails.nullable(),
});
export type PurchaseListItem = z.infer<typeof PurchaseListItem>;

export const PurchasesReply = z.object({ purchases: z.array(PurchaseListItem) });
export type PurchasesReply = z.infer<typeof PurchasesReply>;

export const BillingDetailsReply = z.object({ details: BillingDetails.nullable() });
export type BillingDetailsReply = z.infer<typeof BillingDetailsReply>;

/** bonus_users: the month's grant for noteValue Caller users; credit_short: a charge noteValue micro-dollars beyond the balance. */
export const ledgerNoteCodes = ["bonus_users", "bonus_unused", "demo_credit", "credit_short"] as const;
export const LedgerNoteCode = z.enum(ledgerNoteCodes);
export type LedgerNoteCode = z.infer<typeof LedgerNoteCode>;

export const LedgerEntry = z.object({
  id: z.string(),
  at: z.number().int(),
  bucket: CreditBucket,
  kind: LedgerKind,
  /** Signed: grants and purchases add, charges and expiries take. */
  amountMicros: Micros,
  /** The bucket's balance right after this entry. */
  balanceAfterMicros: Micros,
  userId: z.number().int().nullable(),
  userName: z.string().nullable(),
  /** Call charges: the number, destination, billed seconds and the server's call id. */
  callId: z.string().nullable(),
  number: z.string().nullable(),
  destination: z.string().nullable(),
  billedSeconds: z.number().int().nullable(),
  /** Free text the server did not write itself (a payment reference, an operator's note). */
  note: z.string().nullable(),
  /** What the server says about the entry, as a code the app translates, with its one number (users, micro-dollars). */
  noteCode: LedgerNoteCode.nullable(),
  noteValue: z.number().int().nullable(),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const LedgerQuery = z.object({
  from: z.coerce.number().int().optional(),
  to: z.coerce.number().int().optional(),
  kind: LedgerKind.optional(),
  bucket: CreditBucket.optional(),
  userId: z.coerce.number().int().optional(),
  /** Page backwards: entries with an id below this cursor. */
  before: z.string().max(32).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type LedgerQuery = z.infer<typeof LedgerQuery>;

export const LedgerReply = z.object({ entries: z.array(LedgerEntry), nextBefore: z.string().nullable() });
export type LedgerReply = z.infer<typeof LedgerReply>;

export const UsageQuery = z.object({
  from: z.coerce.number().int(),
  to: z.coerce.number().int(),
});
export type UsageQuery = z.infer<typeof UsageQuery>;

const Spend = { calls: z.number().int(), billedSeconds: z.number().int(), costMicros: Micros };

export const UsageReply = z.object({
  /** Days in the company's time zone, "YYYY-MM-DD". */
  byDay: z.array(z.object({ day: z.string(), destination: z.string(), ...Spend })),
  byUser: z.array(z.object({ userId: z.number().int(), userName: z.string(), ...Spend })),
  byDestination: z.array(z.object({ destination: z.string(), ...Spend })),
});
export type UsageReply = z.infer<typeof UsageReply>;

export const LowBalanceBody = z.strictObject({ thresholdMicros: Micros.min(0).nullable() });
export type LowBalanceBody = z.infer<typeof LowBalanceBody>;

export const QuoteQuery = z.object({ number: z.string().regex(/^\+[1-9][0-9]{6,14}$/, "an E.164 number") });

export const RateQuote = z.object({
  number: z.string(),
  /** null: no tariff row covers the number (the call would be refused). */
  destination: z.string().nullable(),
  kind: TariffKind.nullable(),
  ratePerMinuteMicros: Micros.nullable(),
  connectionFeeMicros: Micros.nullable(),
  increments: BillingIncrements.nullable(),
  /** Credit available for calls now (bonus + purchased − held by live calls). */
  availableMicros: Micros,
  /** The longest this call could last now (balance, trial cap, company limit); 0: refused. */
  maxSeconds: z.number().int(),
  limitedBy: z.enum(["balance", "trial_cap", "company_max", "pbx_max", "no_rate"]),
});
export type RateQuote = z.infer<typeof RateQuote>;

export const TariffVersion = z.object({
  version: z.number().int(),
  rows: z.number().int(),
  importedAt: z.number().int(),
  importedBy: z.string().nullable(),
  /** "default" for the shipped tariff, else the uploaded file's name. */
  source: z.string(),
});
export type TariffVersion = z.infer<typeof TariffVersion>;

export const TariffVersionsReply = z.object({ versions: z.array(TariffVersion), current: z.number().int().nullable() });
export type TariffVersionsReply = z.infer<typeof TariffVersionsReply>;

export const TariffImportReply = z.object({
  /** null: nothing was imported. */
  version: z.number().int().nullable(),
  imported: z.number().int(),
  rejected: z.array(z.object({ line: z.number().int(), code: z.enum(tariffRejectCodes), reason: z.string() })),
});
export type TariffImportReply = z.infer<typeof TariffImportReply>;

/** One tariff row as the rates views show it (the CSV's columns, amounts in micro-dollars). */
export const TariffRate = z.object({
  prefix: z.string(),
  destination: z.string(),
  kind: TariffKind,
  ratePerMinuteMicros: Micros,
  connectionFeeMicros: Micros,
  increments: BillingIncrements,
  effectiveFrom: z.number().int(),
  effectiveTo: z.number().int().nullable(),
});
export type TariffRate = z.infer<typeof TariffRate>;

export const RatesQuery = z.object({
  /** Digits (a + allowed): rows whose prefix starts with them or that a number starting with them would use; text: destinations containing it. */
  q: z.string().trim().max(100).optional(),
  version: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type RatesQuery = z.infer<typeof RatesQuery>;

export const RatesReply = z.object({ version: TariffVersion.nullable(), total: z.number().int(), rates: z.array(TariffRate) });
export type RatesReply = z.infer<typeof RatesReply>;

