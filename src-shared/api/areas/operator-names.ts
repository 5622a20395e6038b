/** The service operator's pages: companies, invoice approvals, the tariff, destination blocks. Names only (the preload imports these). */
export const operatorMethodNames = [
  "operatorListCompanies",
  "operatorSetInvoiceLimit",
  "operatorListPurchaseRequests",
  "operatorApprovePurchase",
  "operatorDeclinePurchase",
  "operatorListTariffVersions",
  "operatorListRates",
  "operatorExportRatesCsv",
  "operatorPreviewTariff",
  "operatorImportTariff",
  "operatorRestoreTariff",
  "operatorListBlocks",
  "operatorSetBlock",
  "operatorRemoveBlock",
] as const;
export const operatorEventNames = [] as const;
