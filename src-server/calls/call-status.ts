import { CallerError } from "../../src-shared/errors";

/** Where the server's record of a call stands. */
export const callStatuses = ["authorized", "refused", "ended"] as const;
export type CallStatus = (typeof callStatuses)[number];

/**
 * What can happen to a record: the server's authorize answer, a CDR from the
 * PBX (AMI or its CDR store) that ended the call normally or with a refusal, or
 * the loss of the Asterisk carrying it (`pbx-lost`: it ends, interrupted).
 */
export type CallEvent = "allowed" | "denied" | "cdr-ended" | "cdr-refused" | "pbx-lost";

const table: Record<CallStatus | "new", Partial<Record<CallEvent, CallStatus>>> = {
  new: { allowed: "authorized", denied: "refused", "cdr-ended": "ended", "cdr-refused": "refused" },
  // A repeated authorize for the same call keeps the first answer; the dialplan
  // may still refuse an allowed call (a caller ID it cannot use: authorize_failed).
  authorized: { allowed: "authorized", "cdr-ended": "ended", "cdr-refused": "refused", "pbx-lost": "ended" },
  // A CDR without a refusal mark (the caller hung up while the server answered) only adds times.
  refused: { denied: "refused", "cdr-ended": "refused", "cdr-refused": "refused" },
  ended: { "cdr-ended": "ended" },
};

/** The single place a call's status changes; a move the table lacks is refused with `conflict`. */
export function nextCallStatus(current: CallStatus | null, event: CallEvent): CallStatus {
  const next = table[current ?? "new"][event];
  if (next === undefined) throw new CallerError("conflict", `a call that is ${current ?? "new"} cannot take '${event}'`, { reason: "call_status_moved_on" });
  return next;
}
