import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { operatorMethodNames } from "../../../src-shared/api/areas/operator-names";
import { pathWithId } from "../../../src-shared/server-api/company-admin";
import { Purchase } from "../../../src-shared/server-api/credits";
import {
  BlocksReply,
  CompaniesReply,
  PurchaseRequestsReply,
  RatesReply,
  TariffImportReply,
  TariffPreviewReply,
  TariffRestoreReply,
  TariffVersionsReply,
  operatorPaths as paths,
} from "../../../src-shared/server-api/operator";
import type { CoreContext } from "../core-context";
import { fetchServerText } from "./credits-csv";
import { withQuery } from "./credits";
import { z } from "zod";

export type OperatorHandlers = Pick<ApiHandlers, (typeof operatorMethodNames)[number]>;

const ok = { ok: true as const };
const empty = z.unknown();

/** The operator's pages: each method is the server's operator route with the operator's session; the server decides who may. */
export function operatorHandlers(ctx: CoreContext): OperatorHandlers {
  const operator = ctx.session.operator;
  return {
    operatorListCompanies: () => operator.request(CompaniesReply, "GET", paths.companies),
    operatorSetInvoiceLimit: async ({ companyId, limitMicros }) => {
      await operator.request(empty, "PUT", pathWithId(paths.invoiceLimit, companyId), { limitMicros });
      return ok;
    },
    operatorListPurchaseRequests: ({ status }) => operator.request(PurchaseRequestsReply, "GET", withQuery(paths.purchaseRequests, { status })),
    operatorApprovePurchase: ({ id, note }) => operator.request(Purchase, "POST", pathWithId(paths.approve, id), { note }),
    operatorDeclinePurchase: async ({ id, note }) => {
      await operator.request(empty, "POST", pathWithId(paths.decline, id), { note });
      return ok;
    },
    operatorListTariffVersions: () => operator.request(TariffVersionsReply, "GET", paths.tariffVersions),
    operatorListRates: (filter) => operator.request(RatesReply, "GET", withQuery(paths.tariffRates, filter)),
    operatorExportRatesCsv: async ({ version }) => ({ csv: await fetchServerText(operator.signedIn, withQuery(paths.tariffRatesCsv, { version })) }),
    operatorPreviewTariff: (body) => operator.request(TariffPreviewReply, "POST", paths.tariffPreview, body),
    operatorImportTariff: (body) => operator.request(TariffImportReply, "POST", paths.tariffImport, body),
    operatorRestoreTariff: ({ version }) => operator.request(TariffRestoreReply, "POST", pathWithId(paths.tariffRestore, version)),
    operatorListBlocks: () => operator.request(BlocksReply, "GET", paths.blocks),
    operatorSetBlock: (body) => operator.request(BlocksReply, "POST", paths.blocks, body),
    operatorRemoveBlock: ({ id }) => operator.request(BlocksReply, "DELETE", pathWithId(paths.block, id)),
  };
}

