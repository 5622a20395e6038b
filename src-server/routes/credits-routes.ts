import { companyLanguage, planIncludesCaller } from "../../src-shared/domain/company";
import { CallerError } from "../../src-shared/errors";
import {
  BillingDetails,
  BillingDetailsReply,
  CreditsSummary,
  InvoiceParams,
  LedgerQuery,
  LedgerReply,
  LowBalanceBody,
  Purchase,
  PurchaseBody,
  PurchasesReply,
  QuoteQuery,
  RateQuote,
  RatesQuery,
  RatesReply,
  UsageQuery,
  UsageReply,
  creditsPaths,
} from "../../src-shared/server-api/credits";
import { readBillingDetails, saveBillingDetails } from "../credits/billing-repo";
import { creditsSummary, quoteRate } from "../credits/credits-summary";
import { ledgerCsv } from "../credits/ledger-csv";
import { ledgerForExport, listLedger } from "../credits/ledger-query";
import { setLowBalanceThreshold } from "../credits/low-balance";
import { InvoicePaymentProvider, type PaymentProvider } from "../credits/payment-provider";
import type { InvoiceFonts } from "../credits/invoice-font";
import { renderInvoicePdf } from "../credits/invoice-pdf";
import { findPurchaseItem, listPurchaseItems } from "../credits/purchase-list-repo";
import { purchaseCredit } from "../credits/purchases";
import { listRates, ratesCsvFile } from "../credits/rates-query";
import { usageBetween } from "../credits/usage-repo";
import { getCompany } from "../db/companies-repo";
import { getUser, mayUseCaller } from "../db/users-repo";
import type { FastifyRequest } from "fastify";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";

/** The invoice number as a file name (references are the provider's: keep only safe characters). */
export const invoiceFileName = (reference: string): string => `invoice-${reference.replace(/[^A-Za-z0-9._-]/g, "_") || "draft"}.pdf`;

const LedgerCsvQuery = LedgerQuery.omit({ before: true, limit: true });
const AdminRatesQuery = RatesQuery.omit({ version: true });
/** A year and a bit: usage is for a chosen period, not the whole history at once. */
const maxUsageSpanMs = 400 * 86_400_000;

/**
 * Calling credits (src-shared/server-api/credits.ts): admins only, except the
 * quote any Caller user needs before dialing. Caller exists only on
 * Professional and Enterprise: every route answers 403 to any other plan.
 * The rates are read-only here; the operator sets them.
 */
export function registerCreditsRoutes(
  app: App,
  deps: ServerDeps,
  invoiceFonts: () => Promise<InvoiceFonts>,
  provider: PaymentProvider = new InvoicePaymentProvider(),
): void {
  const { db, credits } = deps;
  // The default tariff, balances and reservations are in memory before the first request.
  app.addHook("onReady", () => credits.ready(deps.now()));

  // After the access check (a route's own onRequest runs after the app's), before the body is read.
  const callerPlanOnly = async (request: FastifyRequest): Promise<void> => {
    const company = await getCompany(db, authOf(request).companyId);
    if (company === undefined || !planIncludesCaller(company.plan)) throw new CallerError("forbidden", "Calling credits are for the Professional and Enterprise plans", { reason: "plan_without_caller" });
  };
  const admin = { config: { access: "admin" as const }, onRequest: callerPlanOnly };

  app.get(creditsPaths.summary, { ...admin, schema: { response: { 200: CreditsSummary } } }, (request) =>
    creditsSummary(db, credits, provider, authOf(request).companyId, deps.now()),
  );

  app.post(creditsPaths.purchases, { ...admin, schema: { body: PurchaseBody, response: { 200: Purchase } } }, async (request) => {
    const { companyId, userId } = authOf(request);
    const { purchase, effects } = await purchaseCredit(db, provider, { companyId, userId, ...request.body, now: deps.now() });
    credits.apply(effects);
    return purchase;
  });

  app.get(creditsPaths.purchases, { ...admin, schema: { response: { 200: PurchasesReply } } }, async (request) => ({
    purchases: await listPurchaseItems(db, authOf(request).companyId),
  }));

  // Looked up within the admin's own company: another company's purchase is simply not found.
  app.get(creditsPaths.purchaseInvoice, { ...admin, schema: { params: InvoiceParams } }, async (request, reply) => {
    const { companyId } = authOf(request);
    const [company, purchase] = await Promise.all([getCompany(db, companyId), findPurchaseItem(db, companyId, Number(request.params.id))]);
    if (company === undefined || purchase === undefined) throw new CallerError("not_found", "No such purchase");
    const pdf = await renderInvoicePdf(
      {
        language: companyLanguage(company),
        number: purchase.reference,
        issuedAt: purchase.createdAt,
        timeZone: company.timeZone,
        status: purchase.status,
        amountMicros: purchase.amountMicros,
        currency: "USD",
        companyName: company.name,
        billTo: purchase.billedTo,
        boughtBy: purchase.boughtBy,
      },
      await invoiceFonts(),
    );
    return reply
      .type("application/pdf")
      .header("content-disposition", `attachment; filename="${invoiceFileName(purchase.reference)}"`)
      .header("cache-control", "private, no-store")
      .send(pdf);
  });

  app.get(creditsPaths.billingDetails, { ...admin, schema: { response: { 200: BillingDetailsReply } } }, async (request) => ({
    details: await readBillingDetails(db, authOf(request).companyId),
  }));

  app.put(creditsPaths.billingDetails, { ...admin, schema: { body: BillingDetails, response: { 200: BillingDetailsReply } } }, async (request) => {
    const { companyId } = authOf(request);
    await saveBillingDetails(db, companyId, request.body, deps.now());
    return { details: await readBillingDetails(db, companyId) };
  });

  app.get(creditsPaths.ledger, { ...admin, schema: { querystring: LedgerQuery, response: { 200: LedgerReply } } }, (request) =>
    listLedger(db, authOf(request).companyId, request.query),
  );

  app.get(creditsPaths.ledgerCsv, { ...admin, schema: { querystring: LedgerCsvQuery } }, async (request, reply) => {
    const entries = await ledgerForExport(db, authOf(request).companyId, request.query);
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", 'attachment; filename="credits-ledger.csv"')
      .send(ledgerCsv(entries));
  });

  app.get(creditsPaths.usage, { ...admin, schema: { querystring: UsageQuery, response: { 200: UsageReply } } }, async (request) => {
    const { from, to } = request.query;
    if (to <= from || to - from > maxUsageSpanMs) throw new CallerError("bad_request", "usage needs from < to, at most 400 days apart", { reason: "usage_span", params: { maxDays: Math.round(maxUsageSpanMs / 86_400_000) } });
    const { companyId } = authOf(request);
    const company = await getCompany(db, companyId);
    if (company === undefined) throw new CallerError("not_found", "The company no longer exists");
    return usageBetween(db, companyId, company.timeZone, from, to);
  });

  app.put(creditsPaths.lowBalance, { ...admin, schema: { body: LowBalanceBody, response: { 200: CreditsSummary } } }, async (request) => {
    const { companyId } = authOf(request);
    await setLowBalanceThreshold(db, companyId, request.body.thresholdMicros);
    return creditsSummary(db, credits, provider, companyId, deps.now());
  });

  app.get(creditsPaths.quote, { config: { access: "user" }, onRequest: callerPlanOnly, schema: { querystring: QuoteQuery, response: { 200: RateQuote } } }, async (request) => {
    const { companyId, userId } = authOf(request);
    const [company, user] = await Promise.all([getCompany(db, companyId), getUser(db, companyId, userId)]);
    if (company === undefined || user === undefined || !planIncludesCaller(company.plan) || !mayUseCaller(user)) {
      throw new CallerError("forbidden", "Caller is not enabled for you", { reason: "caller_not_enabled" });
    }
    return quoteRate(db, credits, companyId, request.query.number, deps.now());
  });

  app.get(creditsPaths.rates, { ...admin, schema: { querystring: AdminRatesQuery, response: { 200: RatesReply } } }, async (request) => {
    await credits.ready(deps.now());
    return listRates(db, credits.currentVersion(deps.now()), request.query);
  });

  app.get(creditsPaths.ratesCsv, admin, async (_request, reply) => {
    await credits.ready(deps.now());
    const file = await ratesCsvFile(db, credits.currentVersion(deps.now()));
    return reply.type("text/csv; charset=utf-8").header("content-disposition", `attachment; filename="${file.fileName}"`).send(file.csv);
  });
}
