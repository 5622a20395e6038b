import { assertNever } from "../../src-shared/assert-never";
import type { CallFailureReason } from "../../src-shared/telephony/call-failure";

export type RegistrationStatus = "unregistered" | "registering" | "registered" | "reconnecting" | "failed";

/** Why registration failed for good (until the user or a network change tries again). */
export type RegistrationProblem = Extract<CallFailureReason, "unauthorized" | "server_unreachable" | "pbx_unreachable" | "pbx_error" | "caller_not_enabled">;

export type RegistrationState =
  | { status: "unregistered" }
  | { status: "registering" }
  | { status: "registered"; since: number }
  /** `busy`: the PBX answered but turned the REGISTER away for now (503 while overloaded), rather than being out of reach. */
  | { status: "reconnecting"; attempt: number; retryAt: number; busy?: boolean }
  | { status: "failed"; problem: RegistrationProblem };

export type RegistrationEvent =
  | { type: "start" }
  | { type: "registered"; at: number }
  | { type: "connection-lost"; attempt: number; retryAt: number; busy?: boolean }
  | { type: "failed"; problem: RegistrationProblem }
  | { type: "stop" };

export const initialRegistration: RegistrationState = { status: "unregistered" };

export class IllegalTransition extends Error {
  override readonly name = "IllegalTransition";
}

/**
 * The one way registration state changes. Illegal moves throw, so a bug in the
 * user agent wiring shows up at once instead of as a wrong status on screen.
 */
export function registrationTransition(state: RegistrationState, event: RegistrationEvent): RegistrationState {
  const refuse = (): never => {
    throw new IllegalTransition(`registration: ${event.type} while ${state.status}`);
  };
  switch (event.type) {
    case "start":
      return state.status === "registered" ? refuse() : { status: "registering" };
    case "registered":
      return state.status === "registering" || state.status === "reconnecting" || state.status === "registered"
        ? { status: "registered", since: state.status === "registered" ? state.since : event.at }
        : refuse();
    case "connection-lost":
      return state.status === "unregistered" || state.status === "failed"
        ? refuse()
        : { status: "reconnecting", attempt: event.attempt, retryAt: event.retryAt, ...(event.busy === true ? { busy: true } : {}) };
    case "failed":
      return state.status === "unregistered" ? refuse() : { status: "failed", problem: event.problem };
    case "stop":
      return { status: "unregistered" };
    default:
      return assertNever(event, "registration event");
  }
}
