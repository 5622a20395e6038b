/** Calling credits: balances, purchases, ledger, usage, rate quotes. Names only (the preload imports these). */
export const creditsMethodNames = [
  "getCredits",
  "buyCredits",
  "listPurchases",
  "getInvoicePdf",
  "getBillingDetails",
  "saveBillingDetails",
  "listLedger",
  "exportLedgerCsv",
  "getUsage",
  "setLowBalance",
  "quoteRate",
  "listRates",
  "exportRatesCsv",
] as const;
export const creditsEventNames = [] as const;
