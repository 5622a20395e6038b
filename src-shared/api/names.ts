/**
 * The renderer ⇄ core API's names without its schemas, for bundles that must
 * stay small (the preload: zod made it 760 KB and 25 ms per window).
 * contract.ts must define exactly these (`satisfies` refuses a missing or extra one).
 */
export const methodNames = [
  "getAppInfo",
  "getSession",
  "signIn",
  "signOut",
  "getSettings",
  "updateSettings",
  "listHistory",
  "getSyncState",
  "syncNow",
  "takeDialRequest",
  "getSipConfig",
  "reportCallQuality",
  "adminListUsers",
] as const;
export type MethodName = (typeof methodNames)[number];

export const eventNames = ["sessionChanged", "syncChanged", "dialRequested"] as const;
export type EventName = (typeof eventNames)[number];

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === "string" && (methodNames as readonly string[]).includes(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === "string" && (eventNames as readonly string[]).includes(value);
}
