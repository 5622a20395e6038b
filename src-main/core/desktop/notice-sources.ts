import type { EventHub } from "../event-hub";
import { notifyUser } from "./notify";

/**
 * Notices the desktop area raises from other areas' events: a verification
 * that reaches "verified" (once per verification). Credit and call notices are
 * raised where they are known (credits area; the page's softphone).
 */
export function followNoticeSources(events: EventHub): () => void {
  const verified = new Set<string>();
  return events.on("verificationChanged", (verification) => {
    if (verification.state !== "verified" || verified.has(verification.id)) return;
    verified.add(verification.id);
    notifyUser(events, { kind: "verificationSucceeded", number: verification.number });
  });
}
