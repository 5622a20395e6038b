/** Transferring the live call. Names only (the preload imports these). */
export const transferMethodNames = ["transferCall", "transferTargets", "callTransferChain"] as const;
