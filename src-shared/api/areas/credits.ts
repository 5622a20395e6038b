import { z } from "zod";
import {
  BillingDetails,
  BillingDetailsReply,
  CreditBucket,
  CreditsSummary,
  LedgerKind,
  LedgerReply,
  LowBalanceBody,
  Purchase,
  PurchaseBody,
  PurchasesReply,
  RateQuote,
  RatesReply,
  UsageReply,
} from "../../server-api/credits";
import { Empty, Ok } from "../common-schemas";
import type { creditsEventNames, creditsMethodNames } from "./credits-names";

/** The ledger's filters as the renderer sends them (plain numbers; the core writes the query string). */
export const LedgerFilter = z.strictObject({
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  kind: LedgerKind.optional(),
  bucket: CreditBucket.optional(),
  userId: z.number().int().optional(),
  before: z.string().max(32).optional(),
  limit: z.number().int().min(1).max(500).optional(),
});
export type LedgerFilter = z.infer<typeof LedgerFilter>;

const Period = z.strictObject({ from: z.number().int(), to: z.number().int() });

export const RatesFilter = z.strictObject({
  q: z.string().trim().max(100).optional(),
  limit: z.number().int().min(1).max(500).optional(),
  offset: z.number().int().min(0).optional(),
});
export type RatesFilter = z.infer<typeof RatesFilter>;

/** Calling credits: balances, purchases, ledger, usage, rate quotes, rates. Admin only, except quoteRate. */
export const creditsMethods = {
  getCredits: { request: Empty, response: CreditsSummary },
  /** The idempotency key is made per click in the renderer, so a retried request buys once. */
  buyCredits: { request: PurchaseBody, response: Purchase },
  listPurchases: { request: Empty, response: PurchasesReply },
  /** One purchase's invoice (made by the server, in the company's language); the renderer shows and saves it. */
  getInvoicePdf: {
    request: z.strictObject({ purchaseId: z.string().regex(/^[1-9][0-9]{0,15}$/) }),
    response: z.object({ pdfBase64: z.string() }),
  },
  getBillingDetails: { request: Empty, response: BillingDetailsReply },
  saveBillingDetails: { request: BillingDetails, response: Ok },
  listLedger: { request: LedgerFilter, response: LedgerReply },
  /** The same filters as CSV text; the renderer offers it as a download. */
  exportLedgerCsv: { request: LedgerFilter.omit({ before: true, limit: true }), response: z.object({ csv: z.string() }) },
  getUsage: { request: Period, response: UsageReply },
  setLowBalance: { request: LowBalanceBody, response: Ok },
  /** Rate and minutes for one E.164 number, before dialing (any user with Caller). */
  quoteRate: { request: z.strictObject({ number: z.string().regex(/^\+[1-9][0-9]{6,14}$/, "an E.164 number") }), response: RateQuote },
  /** The rates in force, read-only (the operator sets them): a page, searched by number, prefix or destination. */
  listRates: { request: RatesFilter, response: RatesReply },
  /** The same rates as a tariff CSV; the renderer offers it as a download. */
  exportRatesCsv: { request: Empty, response: z.object({ csv: z.string() }) },
} as const satisfies Record<(typeof creditsMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const creditsEvents = {} as const satisfies Record<(typeof creditsEventNames)[number], z.ZodType>;
