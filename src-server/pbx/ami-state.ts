import { CallerError } from "../../src-shared/errors";

export const amiStates = ["disconnected", "connecting", "connected", "backing-off", "closed"] as const;
export type AmiState = (typeof amiStates)[number];

/**
 * What happened to the connection. `failed` is the first attempt failing (the
 * caller of connect() hears about it); `retry-failed` is a reconnect failing,
 * which backs off and tries again.
 */
export type AmiTransition = "connect" | "logged-in" | "failed" | "retry-failed" | "dropped" | "retry" | "close";

const table: Record<AmiState, Partial<Record<AmiTransition, AmiState>>> = {
  disconnected: { connect: "connecting", close: "closed" },
  connecting: { "logged-in": "connected", failed: "disconnected", "retry-failed": "backing-off", close: "closed" },
  connected: { dropped: "backing-off", close: "closed" },
  "backing-off": { retry: "connecting", close: "closed" },
  closed: {},
};

/** The single place the AMI connection state changes; an illegal move is a bug and throws. */
export function nextAmiState(state: AmiState, transition: AmiTransition): AmiState {
  const next = table[state][transition];
  if (next === undefined) throw new CallerError("internal", `AMI state ${state} cannot take '${transition}'`);
  return next;
}
