import { assertNever } from "../../src-shared/assert-never";
import type { CallFailureReason } from "../../src-shared/telephony/call-failure";
import { IllegalTransition } from "./registration-state";

export type CallStatus = "idle" | "dialing" | "ringing" | "connected" | "on-hold" | "ending" | "ended";

/** Who or what ended the call. */
export type CallEnd = { by: "local" } | { by: "remote" } | { by: "failure"; reason: CallFailureReason };

interface CallInfo {
  /** The app's own call id (the X-Caller-Call-Id header). */
  callId: string;
  number: string;
  dialedAt: number;
}

export type CallState =
  | { status: "idle" }
  | (CallInfo & { status: "dialing" })
  | (CallInfo & { status: "ringing"; ringingAt: number; earlyMedia: boolean })
  | (CallInfo & { status: "connected" | "on-hold"; connectedAt: number })
  | (CallInfo & { status: "ending"; connectedAt: number | null })
  | (CallInfo & { status: "ended"; connectedAt: number | null; endedAt: number; end: CallEnd });

export type CallEvent =
  | { type: "dial"; callId: string; number: string; at: number }
  | { type: "progress"; at: number; earlyMedia: boolean }
  | { type: "accepted"; at: number }
  | { type: "hold" }
  | { type: "resume" }
  | { type: "hang-up" }
  | { type: "ended"; at: number; end: CallEnd }
  | { type: "dismiss" };

export const idleCall: CallState = { status: "idle" };

export function isLive(state: CallState): boolean {
  return state.status !== "idle" && state.status !== "ended";
}

/** The one way a call's state changes; illegal moves throw. */
export function callTransition(state: CallState, event: CallEvent): CallState {
  const refuse = (): never => {
    throw new IllegalTransition(`call: ${event.type} while ${state.status}`);
  };
  switch (event.type) {
    case "dial":
      return state.status === "idle" || state.status === "ended"
        ? { status: "dialing", callId: event.callId, number: event.number, dialedAt: event.at }
        : refuse();
    case "progress":
      if (state.status === "dialing") return { ...state, status: "ringing", ringingAt: event.at, earlyMedia: event.earlyMedia };
      // A 180 after a 183 (or several 180s) changes nothing but the media flag.
      if (state.status === "ringing") return { ...state, earlyMedia: state.earlyMedia || event.earlyMedia };
      // SIP.js hands a provisional response on a moment after it arrived, so a hang-up can come in between.
      if (state.status === "ending") return state;
      return refuse();
    case "accepted":
      return state.status === "dialing" || state.status === "ringing" ? { ...info(state), status: "connected", connectedAt: event.at } : refuse();
    case "hold":
      return state.status === "connected" ? { ...state, status: "on-hold" } : refuse();
    case "resume":
      return state.status === "on-hold" ? { ...state, status: "connected" } : refuse();
    case "hang-up":
      return isLive(state) && state.status !== "ending" ? { ...info(state), status: "ending", connectedAt: connectedAt(state) } : refuse();
    case "ended":
      return isLive(state) ? { ...info(state), status: "ended", connectedAt: connectedAt(state), endedAt: event.at, end: event.end } : refuse();
    case "dismiss":
      return state.status === "ended" ? idleCall : refuse();
    default:
      return assertNever(event, "call event");
  }
}

function info(state: CallState): CallInfo {
  if (state.status === "idle") throw new IllegalTransition("call: no call");
  return { callId: state.callId, number: state.number, dialedAt: state.dialedAt };
}

function connectedAt(state: CallState): number | null {
  switch (state.status) {
    case "connected":
    case "on-hold":
    case "ending":
    case "ended":
      return state.connectedAt;
    case "idle":
    case "dialing":
    case "ringing":
      return null;
    default:
      return assertNever(state, "call state");
  }
}
