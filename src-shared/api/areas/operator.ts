import { z } from "zod";
import { Purchase } from "../../server-api/credits";
import {
  BlocksReply,
  CompaniesReply,
  DecisionBody,
  DestinationRuleBody,
  InvoiceLimitBody,
  OperatorTariffImportBody,
  PurchaseRequestStatus,
  PurchaseRequestsReply,
  RatesReply,
  TariffImportReply,
  TariffPreviewBody,
  TariffPreviewReply,
  TariffRestoreReply,
  TariffVersionsReply,
} from "../../server-api/operator";
import { Empty, Ok } from "../common-schemas";
import type { operatorEventNames, operatorMethodNames } from "./operator-names";

const Id = z.number().int().positive();

/**
 * The operator's pages: every method is the server's operator route with the
 * operator's session (held by the core, never the renderer). The server
 * refuses any company session, whatever the UI shows.
 */
export const operatorMethods = {
  operatorListCompanies: { request: Empty, response: CompaniesReply },
  operatorSetInvoiceLimit: { request: InvoiceLimitBody.extend({ companyId: Id }), response: Ok },
  operatorListPurchaseRequests: { request: z.strictObject({ status: PurchaseRequestStatus.optional() }), response: PurchaseRequestsReply },
  operatorApprovePurchase: { request: DecisionBody.extend({ id: Id }), response: Purchase },
  operatorDeclinePurchase: { request: DecisionBody.extend({ id: Id }), response: Ok },
  operatorListTariffVersions: { request: Empty, response: TariffVersionsReply },
  operatorListRates: {
    request: z.strictObject({ q: z.string().trim().max(100).optional(), version: Id.optional(), limit: z.number().int().min(1).max(500).optional(), offset: z.number().int().min(0).optional() }),
    response: RatesReply,
  },
  operatorExportRatesCsv: { request: z.strictObject({ version: Id.optional() }), response: z.object({ csv: z.string() }) },
  operatorPreviewTariff: { request: TariffPreviewBody, response: TariffPreviewReply },
  operatorImportTariff: { request: OperatorTariffImportBody, response: TariffImportReply },
  operatorRestoreTariff: { request: z.strictObject({ version: Id }), response: TariffRestoreReply },
  operatorListBlocks: { request: Empty, response: BlocksReply },
  operatorSetBlock: { request: DestinationRuleBody, response: BlocksReply },
  operatorRemoveBlock: { request: z.strictObject({ id: Id }), response: BlocksReply },
} as const satisfies Record<(typeof operatorMethodNames)[number], { request: z.ZodType; response: z.ZodType }>;

export const operatorEvents = {} as const satisfies Record<(typeof operatorEventNames)[number], z.ZodType>;
