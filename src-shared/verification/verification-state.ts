import { assertNever } from "../assert-never";

export const verificationStates = ["calling", "ringing", "answered", "verified", "wrong_code", "no_answer", "busy", "failed", "expired", "cancelled"] as const;
export type VerificationState = (typeof verificationStates)[number];

export type VerificationEvent =
  | "ringing"
  | "answered"
  | "digits_match"
  | "digits_wrong"
  | "too_many_attempts"
  | "no_answer"
  | "busy"
  | "failed"
  | "expired"
  | "cancelled";

/** No call is up any more: the app shows the outcome and offers a retry (verified: done). */
export function isFinalVerificationState(state: VerificationState): boolean {
  switch (state) {
    case "calling":
    case "ringing":
    case "answered":
      return false;
    case "verified":
    case "wrong_code":
    case "no_answer":
    case "busy":
    case "failed":
    case "expired":
    case "cancelled":
      return true;
    default:
      return assertNever(state, "verification state");
  }
}

/** The state after `event`, or null when the move is illegal (a late or duplicate PBX event). */
export function nextVerificationState(state: VerificationState, event: VerificationEvent): VerificationState | null {
  const live = !isFinalVerificationState(state);
  switch (event) {
    case "ringing":
      return state === "calling" ? "ringing" : null;
    case "answered":
      return state === "calling" || state === "ringing" ? "answered" : null;
    // A dialplan that reads again after a wrong code sends more digits on the same call.
    case "digits_match":
      return state === "answered" || state === "wrong_code" ? "verified" : null;
    case "digits_wrong":
      return state === "answered" || state === "wrong_code" ? "wrong_code" : null;
    case "too_many_attempts":
      return state === "answered" || state === "wrong_code" ? "failed" : null;
    case "no_answer":
    case "busy":
      return state === "calling" || state === "ringing" ? event : null;
    case "failed":
    case "expired":
    case "cancelled":
      return live ? event : null;
    default:
      return assertNever(event, "verification event");
  }
}
