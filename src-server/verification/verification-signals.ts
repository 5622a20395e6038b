import type { Verification } from "../../src-shared/server-api/verification";
import type { VerificationEvent } from "../../src-shared/verification/verification-state";
import type { CdrRecord } from "../calls/cdr-record";
import { header, type AmiEvent } from "../pbx/ami-message";

export type PbxSignal =
  | {
      kind: "move";
      event: VerificationEvent;
      failureReason?: NonNullable<Verification["failureReason"]>;
      /** A vague signal: applied only after this delay, so a more precise one arriving meanwhile decides. */
      settleMs?: number;
    }
  | { kind: "digits"; digits: string };

export interface KeyedSignal {
  verificationId: string;
  signal: PbxSignal;
}

const channelPrefix = "caller-verify-";
const idPattern = /^[0-9a-zA-Z_-]{1,64}$/;

/** Originate's ChannelId: every channel of the call has it as Linkedid, which is how events find their verification. */
export function channelIdFor(verificationId: string): string {
  return `${channelPrefix}${verificationId}`;
}

function idFromChannel(event: AmiEvent): string | undefined {
  for (const name of ["linkedid", "uniqueid", "destlinkedid"]) {
    const value = header(event, name);
    if (value?.startsWith(channelPrefix)) return value.slice(channelPrefix.length);
  }
  return undefined;
}

function dialEnd(status: string): PbxSignal | null {
  switch (status) {
    case "ANSWER":
      return { kind: "move", event: "answered" };
    case "BUSY":
      return { kind: "move", event: "busy" };
    case "NOANSWER":
      return { kind: "move", event: "no_answer" };
    // Our own hang-up (cancel) or Originate's timeout: the other events decide.
    case "CANCEL":
      return null;
    default:
      return { kind: "move", event: "failed", failureReason: "unreachable" };
  }
}

/** OriginateResponse's Reason is Asterisk's last control frame: 3 ringing (timed out), 5 busy. */
function originateFailure(reason: string): PbxSignal {
  switch (reason) {
    case "3":
      return { kind: "move", event: "no_answer" };
    case "5":
      return { kind: "move", event: "busy" };
    // Reason 0 (the Local channel ended without an answer) often comes just before the
    // trunk leg's DialEnd, which says why (NOANSWER, BUSY): let that one decide.
    default:
      return { kind: "move", event: "failed", failureReason: "unreachable", settleMs: 1_000 };
  }
}

/** What the verify leg read (its UserEvent, or the same in its CDR): a hang-up, nothing, or digits. */
function readResult(status: string, digits: string): PbxSignal {
  if (status === "HANGUP") return { kind: "move", event: "failed", failureReason: "hung_up" };
  if (digits === "") return { kind: "move", event: "failed", failureReason: "no_digits" };
  return { kind: "digits", digits };
}

function signalOf(event: AmiEvent): PbxSignal | null {
  switch (event.event) {
    case "UserEvent":
      return readResult(header(event, "status") ?? "", header(event, "digits") ?? "");
    case "DialState":
      return header(event, "dialstatus") === "RINGING" ? { kind: "move", event: "ringing" } : null;
    case "DialEnd":
      return dialEnd(header(event, "dialstatus") ?? "");
    case "OriginateResponse":
      return header(event, "response") === "Success" ? { kind: "move", event: "answered" } : originateFailure(header(event, "reason") ?? "");
    default:
      return null;
  }
}

/** The verification an AMI event is about and what it means for it; null for everything else. */
export function verificationSignal(event: AmiEvent): KeyedSignal | null {
  const isVerify = event.event === "UserEvent" && header(event, "userevent") === "CallerVerify";
  const verificationId = isVerify ? header(event, "verifyid") : idFromChannel(event);
  if (verificationId === undefined || !idPattern.test(verificationId)) return null;
  if (event.event === "UserEvent" && !isVerify) return null;
  const signal = signalOf(event);
  return signal === null ? null : { verificationId, signal };
}

/**
 * The result the verify leg's CDR carries (`verify&status=…&digits=…`, set by
 * the dialplan next to its UserEvent): what was read, kept where a cut AMI
 * connection cannot lose it. Null for every other CDR (the trunk leg's is just
 * `verify`; a user's call has its own marks).
 */
export function verificationResultFromCdr(cdr: Pick<CdrRecord, "uniqueid" | "destinationContext" | "userfield">): KeyedSignal | null {
  if (cdr.destinationContext !== "verify" || !cdr.uniqueid.startsWith(channelPrefix)) return null;
  const verificationId = cdr.uniqueid.slice(channelPrefix.length);
  const mark = /^verify&status=([A-Z]{0,16})&digits=([0-9]{0,8})$/.exec(cdr.userfield);
  if (!idPattern.test(verificationId) || mark === null) return null;
  return { verificationId, signal: readResult(mark[1] ?? "", mark[2] ?? "") };
}
