/** Calling credits: balances, purchases, ledger, usage, rate quotes (issue 4). Names only (the preload imports these). */
export const creditsMethodNames = [] as const;
export const creditsEventNames = [] as const;
