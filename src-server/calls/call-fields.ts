import { assertNever } from "../../src-shared/assert-never";
import type { CallDisposition } from "../../src-shared/server-api/calls";
import type { CallStatus } from "./call-status";

/** What the server knows about one call through the PBX; `calls` holds one row of it per pbx_uniqueid. */
export interface CallFields {
  companyId: number;
  userId: number;
  pbxUniqueid: string;
  clientCallId: string | null;
  number: string;
  direction: "outbound" | "inbound";
  status: CallStatus;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  billedSeconds: number;
  /** DIALSTATUS at hangup (ANSWER, BUSY, NOANSWER, CANCEL, CONGESTION, CHANUNAVAIL). */
  dialStatus: string | null;
  /** The Dial leg's CDR disposition: the fallback when the dialplan's mark is missing. */
  cdrDisposition: string | null;
  hangupCause: number | null;
  refusalReason: string | null;
  /** Set once the call ended: its cost at the tariff version in force at its start (0 unanswered). */
  costMicros: number | null;
  tariffVersion: number | null;
  /** When AMI reported the far end answering (DialEnd), on the server's clock: what an interrupted call is billed from. */
  liveAnsweredAt: number | null;
  /** Closed by the server because the Asterisk carrying it was lost: no CDR will come, and one that does changes nothing. */
  interrupted: boolean;
  /** A teammate's transfer made this call the user's (their leg of it): the teammate's name. Set when the record is made, never merged. */
  transferredBy?: string | null;
}

/** A call the server has just learnt of: who, which PBX call, since when; nothing about how it went yet. */
export function newCallFields(
  known: Pick<CallFields, "companyId" | "userId" | "pbxUniqueid" | "clientCallId" | "number" | "status" | "startedAt" | "refusalReason">,
): CallFields {
  return {
    ...known,
    direction: "outbound",
    answeredAt: null,
    endedAt: null,
    billedSeconds: 0,
    dialStatus: null,
    cdrDisposition: null,
    hangupCause: null,
    costMicros: null,
    tariffVersion: null,
    liveAnsweredAt: null,
    interrupted: false,
  };
}

function fromDialStatus(dialStatus: string): CallDisposition | null {
  switch (dialStatus) {
    case "ANSWER":
      return "answered";
    case "BUSY":
      return "busy";
    case "NOANSWER":
      return "no_answer";
    case "CANCEL":
      return "cancelled";
    case "CONGESTION":
    case "CHANUNAVAIL":
      return "failed";
    default:
      return null;
  }
}

function fromCdrDisposition(disposition: string): CallDisposition | null {
  switch (disposition) {
    case "ANSWERED":
      return "answered";
    case "BUSY":
      return "busy";
    case "NO ANSWER":
      return "no_answer";
    case "FAILED":
    case "CONGESTION":
      return "failed";
    default:
      return null;
  }
}

/** Q.850 "call rejected": the far end declined (SIP 603). Asterisk's Dial reports it as NOANSWER or CHANUNAVAIL. */
const callRejectedCause = 21;

/** The disposition strings documented with `callDispositions` in src-shared/server-api/calls.ts. */
export function dispositionOf(call: Pick<CallFields, "status" | "dialStatus" | "cdrDisposition" | "refusalReason" | "hangupCause" | "interrupted">): CallDisposition {
  switch (call.status) {
    case "authorized":
      return "in_progress";
    case "refused":
      return `refused:${call.refusalReason ?? "denied"}`;
    case "ended":
      if (call.interrupted) return "interrupted";
      if (call.hangupCause === callRejectedCause && call.dialStatus !== "ANSWER" && call.dialStatus !== "CANCEL" && call.dialStatus !== null) return "declined";
      // Ended without a Dial leg or a dial status: the caller hung up before anything was dialed.
      return (
        (call.dialStatus === null ? null : fromDialStatus(call.dialStatus)) ??
        (call.cdrDisposition === null ? null : fromCdrDisposition(call.cdrDisposition)) ??
        "cancelled"
      );
    default:
      return assertNever(call.status, "call status");
  }
}
