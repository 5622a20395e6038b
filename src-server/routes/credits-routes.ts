import { planIncludesCaller } from "../../src-shared/domain/company";
import { CallerError } from "../../src-shared/errors";
import {
  BillingDetails,
  BillingDetailsReply,
  CreditsSummary,
  LedgerQuery,
  LedgerReply,
  LowBalanceBody,
  Purchase,
  PurchaseBody,
  QuoteQuery,
  RateQuote,
  TariffImportBody,
  TariffImportReply,
  TariffVersionsReply,
  UsageQuery,
  UsageReply,
  creditsPaths,
} from "../../src-shared/server-api/credits";
import { readBillingDetails, saveBillingDetails } from "../credits/billing-repo";
import { creditsFor } from "../credits/credits-runtime";
import { creditsSummary, quoteRate } from "../credits/credits-summary";
import { ledgerCsv } from "../credits/ledger-csv";
import { ledgerForExport, listLedger } from "../credits/ledger-query";
import { setLowBalanceThreshold } from "../credits/low-balance";
import { InvoicePaymentProvider, type PaymentProvider } from "../credits/payment-provider";
import { purchaseCredit } from "../credits/purchases";
import { importTariff, tariffVersionsReply } from "../credits/tariff-import";
import { usageBetween } from "../credits/usage-repo";
import { getCompany } from "../db/companies-repo";
import { getUser, mayUseCaller } from "../db/users-repo";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";
import type { Mailer } from "../mail/mailer";

const LedgerCsvQuery = LedgerQuery.omit({ before: true, limit: true });
/** A year and a bit: usage is for a chosen period, not the whole history at once. */
const maxUsageSpanMs = 400 * 86_400_000;
const tariffBodyLimit = 25 * 1024 * 1024;

/** Calling credits (src-shared/server-api/credits.ts): admins only, except the quote any Caller user needs before dialing. */
export function registerCreditsRoutes(app: App, deps: ServerDeps, mailer: Mailer | null = null, provider: PaymentProvider = new InvoicePaymentProvider()): void {
  const { db } = deps;
  const credits = creditsFor(db);
  // Low-balance warnings are emailed to admins when the server has a mailer.
  if (mailer !== null) credits.mailer = mailer;
  // The default tariff, balances and reservations are in memory before the first request.
  app.addHook("onReady", () => credits.ready(deps.now()));

  const admin = { config: { access: "admin" as const } };

  app.get(creditsPaths.summary, { ...admin, schema: { response: { 200: CreditsSummary } } }, (request) =>
    creditsSummary(db, credits, authOf(request).companyId, deps.now()),
  );

  app.post(creditsPaths.purchases, { ...admin, schema: { body: PurchaseBody, response: { 200: Purchase } } }, async (request) => {
    const { companyId, userId } = authOf(request);
    const { purchase, effects } = await purchaseCredit(db, provider, { companyId, userId, ...request.body, now: deps.now() });
    credits.apply(effects);
    return purchase;
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
    if (to <= from || to - from > maxUsageSpanMs) throw new CallerError("bad_request", "usage needs from < to, at most 400 days apart");
    const { companyId } = authOf(request);
    const company = await getCompany(db, companyId);
    if (company === undefined) throw new CallerError("not_found", "The company no longer exists");
    return usageBetween(db, companyId, company.timeZone, from, to);
  });

  app.put(creditsPaths.lowBalance, { ...admin, schema: { body: LowBalanceBody, response: { 200: CreditsSummary } } }, async (request) => {
    const { companyId } = authOf(request);
    await setLowBalanceThreshold(db, companyId, request.body.thresholdMicros);
    return creditsSummary(db, credits, companyId, deps.now());
  });

  app.get(creditsPaths.quote, { config: { access: "user" }, schema: { querystring: QuoteQuery, response: { 200: RateQuote } } }, async (request) => {
    const { companyId, userId } = authOf(request);
    const [company, user] = await Promise.all([getCompany(db, companyId), getUser(db, companyId, userId)]);
    if (company === undefined || user === undefined || !planIncludesCaller(company.plan) || !mayUseCaller(user)) {
      throw new CallerError("forbidden", "Caller is not enabled for you");
    }
    return quoteRate(db, credits, companyId, request.query.number, deps.now());
  });

  app.get(creditsPaths.tariff, { ...admin, schema: { response: { 200: TariffVersionsReply } } }, (request) =>
    tariffVersionsReply(credits, authOf(request).companyId, deps.now()),
  );

  app.post(creditsPaths.tariff, { ...admin, bodyLimit: tariffBodyLimit, schema: { body: TariffImportBody, response: { 200: TariffImportReply } } }, async (request) => {
    const { companyId, userId } = authOf(request);
    const user = await getUser(db, companyId, userId);
    return importTariff(db, credits, { ...request.body, companyId, importedBy: user?.name ?? `user ${userId}`, now: deps.now() });
  });
}
