import { z } from "zod";
import { OperatorAccount } from "../../src-shared/server-api/auth";
import { Purchase } from "../../src-shared/server-api/credits";
import { CompaniesReply, DecisionBody, InvoiceLimitBody, PurchaseRequestsQuery, PurchaseRequestsReply, operatorPaths } from "../../src-shared/server-api/operator";
import type { PaymentProvider } from "../credits/payment-provider";
import { listPurchaseRequests } from "../credits/purchase-requests-repo";
import { operatorOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";
import { companiesOverview, setInvoiceLimit } from "../operator/companies-overview";
import { deleteOperatorSession } from "../operator/operators-repo";
import { approvePurchase, declinePurchase } from "../operator/purchase-approvals";

const IdParams = z.object({ id: z.coerce.number().int().positive() });
const operator = { config: { access: "operator" as const } };

/** The operator's account, companies, invoice limits and approvals (the tariff and blocks: operator-tariff-routes.ts). */
export function registerOperatorRoutes(app: App, deps: ServerDeps, provider: PaymentProvider): void {
  const { db, credits } = deps;

  app.get(operatorPaths.me, { ...operator, schema: { response: { 200: OperatorAccount } } }, (request) => {
    const { id, email, name } = operatorOf(request);
    return { id, email, name };
  });

  app.post(operatorPaths.signOut, operator, async (request, reply) => {
    await deleteOperatorSession(db, operatorOf(request).sessionId);
    return reply.status(204).send();
  });

  app.get(operatorPaths.companies, { ...operator, schema: { response: { 200: CompaniesReply } } }, () => companiesOverview(db, provider.name, deps.now()));

  app.put(operatorPaths.invoiceLimit, { ...operator, schema: { params: IdParams, body: InvoiceLimitBody } }, async (request, reply) => {
    await setInvoiceLimit(db, request.params.id, request.body.limitMicros, { actor: operatorOf(request).email, now: deps.now() });
    return reply.status(204).send();
  });

  app.get(operatorPaths.purchaseRequests, { ...operator, schema: { querystring: PurchaseRequestsQuery, response: { 200: PurchaseRequestsReply } } }, async (request) => ({
    requests: await listPurchaseRequests(db, request.query.status),
  }));

  app.post(operatorPaths.approve, { ...operator, schema: { params: IdParams, body: DecisionBody.nullish(), response: { 200: Purchase } } }, async (request) => {
    const decision = { requestId: request.params.id, actor: operatorOf(request).email, note: request.body?.note ?? null, now: deps.now() };
    const { purchase, effects } = await approvePurchase(db, provider, decision);
    credits.apply(effects);
    return purchase;
  });

  app.post(operatorPaths.decline, { ...operator, schema: { params: IdParams, body: DecisionBody.nullish() } }, async (request, reply) => {
    await declinePurchase(db, { requestId: request.params.id, actor: operatorOf(request).email, note: request.body?.note ?? null, now: deps.now() });
    return reply.status(204).send();
  });
}
