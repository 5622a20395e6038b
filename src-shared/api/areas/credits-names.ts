/** Calling credits: balances, purchases, ledger, usage, rate quotes (issue 4). Names only (the preload imports these). */
export const creditsMethodNames = [
  "getCredits",
  "buyCredits",
  "getBillingDetails",
  "saveBillingDetails",
  "listLedger",
  "exportLedgerCsv",
  "getUsage",
  "setLowBalance",
  "quoteRate",
  "listTariffVersions",
  "importTariff",
] as const;
export const creditsEventNames = [] as const;
