/** The company server as the phone sees it: reachable or not, and the facts that decide whether a call can go out. Names only. */
export const phoneMethodNames = ["getServerLink", "retryServerLink", "getCallContext"] as const;
export const phoneEventNames = ["serverLinkChanged"] as const;
