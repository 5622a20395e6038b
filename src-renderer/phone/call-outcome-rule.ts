import type { CallState } from "./call-state";

/** What the far end did with a call that rang: worth an outcome ("No answer", "Busy"). */
const farEndResults = new Set(["busy", "no_answer", "declined", "unavailable"]);

/**
 * A call gets an outcome when it was a call at all: it connected, or it rang
 * and the far end answered busy, did not pick up or declined. A call refused
 * before it rang (no verified number, no credit, destination blocked, the
 * server or PBX unreachable) asks for none and queues none.
 */
export function asksForOutcome(call: Extract<CallState, { status: "ended" }>): boolean {
  if (call.connectedAt !== null || call.end.by !== "failure") return true;
  return farEndResults.has(call.end.reason);
}
