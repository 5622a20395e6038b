import { newCallFields, type CallFields } from "./call-fields";
import { nextCallStatus } from "./call-status";
import { parseUserfield, type CdrRecord } from "./cdr-record";

/** Who made the call, when the record starts from a CDR (the accountcode named their endpoint). */
export interface CallOwner {
  companyId: number;
  userId: number;
}

const dispositionRank: Readonly<Record<string, number>> = { ANSWERED: 4, BUSY: 3, "NO ANSWER": 2, CONGESTION: 1, FAILED: 1 };

const minOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

/** The extension a CDR names is the dialed number unless it is one of the dialplan's own (dialstatus-BUSY, h). */
function dialedNumber(cdr: CdrRecord): string {
  return /^[+0-9]/.test(cdr.destination) ? cdr.destination.slice(0, 64) : "";
}

/**
 * Folds one CDR into the record. One call may have several CDRs (the Dial leg,
 * then the dialplan after a failed Dial), and each may arrive more than once, in
 * any order, from AMI or the CDR store: every rule here is a min, a max or a
 * first-known value, so the result depends only on the set of CDRs seen.
 * A call closed as interrupted (its Asterisk was lost) is returned as it is:
 * it was billed when it was closed, and a CDR turning up later bills nothing more.
 */
export function mergeCdr(call: CallFields | null, owner: CallOwner, cdr: CdrRecord): CallFields {
  if (call?.interrupted === true) return call;
  const mark = parseUserfield(cdr.userfield);
  const status = nextCallStatus(call?.status ?? null, mark.kind === "refused" ? "cdr-refused" : "cdr-ended");
  const dialLeg = cdr.destinationChannel !== "";
  const base: CallFields =
    call ?? newCallFields({ ...owner, pbxUniqueid: cdr.uniqueid, clientCallId: null, number: "", status, startedAt: cdr.startMs, refusalReason: null });
  const rank = (disposition: string | null): number => (disposition === null ? 0 : (dispositionRank[disposition] ?? 0));
  const cdrDisposition = dialLeg && rank(cdr.disposition) > rank(base.cdrDisposition) ? cdr.disposition : base.cdrDisposition;
  return {
    ...base,
    number: base.number !== "" ? base.number : dialedNumber(cdr),
    status,
    startedAt: Math.min(base.startedAt, cdr.startMs),
    answeredAt: dialLeg ? minOf(base.answeredAt, cdr.answerMs) : base.answeredAt,
    endedAt: maxOf(base.endedAt, cdr.endMs),
    billedSeconds: dialLeg ? Math.max(base.billedSeconds, cdr.billsec) : base.billedSeconds,
    dialStatus: base.dialStatus ?? (mark.kind === "authorized" ? mark.dialStatus : null),
    cdrDisposition,
    hangupCause: base.hangupCause ?? (mark.kind === "authorized" ? mark.cause : null),
    refusalReason: base.refusalReason ?? (mark.kind === "refused" ? mark.reason : null),
  };
}

/**
 * A voicemail drop keeps the far (trunk) channel up after the user's leg ends,
 * playing the greeting: that time is call time. The call is billed from its
 * answer to the greeting's end (the Redirect leaves no gap in the trunk leg),
 * and ends then. A max, like the rest: any order of CDRs gives the same call.
 */
export function withDropTime(call: CallFields, playedUntil: number | null): CallFields {
  if (playedUntil === null || call.answeredAt === null || call.interrupted) return call;
  return {
    ...call,
    endedAt: maxOf(call.endedAt, playedUntil),
    billedSeconds: Math.max(call.billedSeconds, Math.floor((playedUntil - call.answeredAt) / 1000)),
  };
}

/**
 * After an attended transfer the consultation call's third party talks on,
 * bridged to the first call's other party: that time is the consultation
 * call's (the company's leg to the third party), billed as a drop's greeting is.
 */
export const withTransferTime = withDropTime;
