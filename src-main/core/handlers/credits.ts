import { z } from "zod";
import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { creditsMethodNames } from "../../../src-shared/api/areas/credits-names";
import type { LedgerFilter } from "../../../src-shared/api/areas/credits";
import {
  BillingDetailsReply,
  CreditsSummary,
  LedgerReply,
  Purchase,
  PurchasesReply,
  RateQuote,
  RatesReply,
  UsageReply,
  creditsPaths,
} from "../../../src-shared/server-api/credits";
import type { CoreContext } from "../core-context";
import { fetchServerFile, fetchServerText } from "./credits-csv";

export type CreditsHandlers = Pick<ApiHandlers, (typeof creditsMethodNames)[number]>;

const ok = { ok: true as const };

/** Calling credits: every method is the server's route as the signed-in user; the server decides who may. */
export function creditsHandlers(ctx: CoreContext): CreditsHandlers {
  const { session } = ctx;
  return {
    getCredits: () => session.request(CreditsSummary, "GET", creditsPaths.summary),
    buyCredits: async (body) => {
      const purchase = await session.request(Purchase, "POST", creditsPaths.purchases, body);
      ctx.syncSoon();
      return purchase;
    },
    listPurchases: () => session.request(PurchasesReply, "GET", creditsPaths.purchases),
    getInvoicePdf: async ({ purchaseId }) => {
      const pdf = await fetchServerFile(session.signedIn, creditsPaths.purchaseInvoice.replace(":id", purchaseId), "application/pdf");
      // Base64: the bridge to the renderer carries JSON.
      return { pdfBase64: Buffer.from(pdf).toString("base64") };
    },
    getBillingDetails: () => session.request(BillingDetailsReply, "GET", creditsPaths.billingDetails),
    saveBillingDetails: async (details) => {
      await session.request(z.unknown(), "PUT", creditsPaths.billingDetails, details);
      return ok;
    },
    listLedger: (filter) => session.request(LedgerReply, "GET", withQuery(creditsPaths.ledger, filter)),
    exportLedgerCsv: async (filter) => ({ csv: await fetchServerText(session.signedIn, withQuery(creditsPaths.ledgerCsv, filter)) }),
    getUsage: (period) => session.request(UsageReply, "GET", withQuery(creditsPaths.usage, period)),
    setLowBalance: async (body) => {
      await session.request(z.unknown(), "PUT", creditsPaths.lowBalance, body);
      return ok;
    },
    quoteRate: ({ number }) => session.request(RateQuote, "GET", withQuery(creditsPaths.quote, { number })),
    listRates: (filter) => session.request(RatesReply, "GET", withQuery(creditsPaths.rates, filter)),
    exportRatesCsv: async () => ({ csv: await fetchServerText(session.signedIn, creditsPaths.ratesCsv) }),
  };
}

/** The request's defined fields as a query string. */
export function withQuery(path: string, params: LedgerFilter | Record<string, string | number | undefined | null>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) query.set(key, String(value));
  }
  const text = query.toString();
  return text === "" ? path : `${path}?${text}`;
}
