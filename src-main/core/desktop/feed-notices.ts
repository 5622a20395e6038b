import type { DesktopNotice } from "../../../src-shared/api/areas/desktop";
import type { Change } from "../../../src-shared/server-api/changes";

/** A feed entry older than this is history (a first sync, a desktop back from a week away), not news. */
const freshForMs = 10 * 60_000;

/**
 * OS notices the change feed carries: the server's once-per-crossing low-balance
 * warning (src-server/credits/low-balance.ts, sent to the company's admins).
 */
export function noticesFromFeed(changes: readonly Change[], now: number): DesktopNotice[] {
  const lowBalance = changes.some((change) => {
    if (change.entity !== "credits" || change.op !== "upsert" || now - change.at > freshForMs) return false;
    const data = change.data as { kind?: unknown } | null;
    return data !== null && typeof data === "object" && data.kind === "low_balance";
  });
  return lowBalance ? [{ kind: "creditLow", minutesLeft: null }] : [];
}
