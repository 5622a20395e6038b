/**
 * The start's milestones as User Timing marks ("caller:<name>"), each set once per page:
 * the start bench and a DevTools trace read them to show where the time to the dialer goes.
 */
export type StartMark =
  | "script"
  | "first-render"
  | "core-connected"
  | "session-known"
  | "i18n-ready"
  | "workspace"
  | "mirror-read"
  | "first-sync"
  | "sip-config"
  | "sip-register-sent"
  | "sip-registered";

export function markStart(name: StartMark): void {
  if (typeof performance === "undefined" || typeof performance.mark !== "function") return;
  const entry = `caller:${name}`;
  if (performance.getEntriesByName(entry, "mark").length === 0) performance.mark(entry);
}
