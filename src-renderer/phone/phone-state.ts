import type { ServerLink } from "../../src-shared/api/areas/phone";
import type { RegistrationState } from "./registration-state";

/** What the top bar says about the phone, and the one action that fixes it. */
export type PhoneState =
  | { kind: "ready" }
  | { kind: "starting" }
  | { kind: "reconnecting"; cause: "server" | "pbx" | "pbx_busy"; action: "retry" }
  | { kind: "no_plan"; action: "ask_admin" | null }
  | { kind: "no_access"; action: "ask_admin" }
  | { kind: "no_number"; action: "connect_number" }
  | { kind: "no_credit"; action: "buy_credit" | "ask_admin" }
  | { kind: "refused"; action: "retry" };

export type PhoneAction = NonNullable<Extract<PhoneState, { action: unknown }>["action"]>;

/** Why the phone's credentials could not be had from the server: it did not answer, or it said no. */
export type SipConfigProblem = "server_unreachable" | "not_allowed" | "other";

export interface PhoneStateInputs {
  /** The core's link to the company server; null where the core tells nothing (a stub). */
  link: ServerLink | null;
  /** The user agent's registration; null while there is no user agent yet (credentials not fetched). */
  registration: RegistrationState | null;
  sipConfigProblem: SipConfigProblem | null;
  /** From the session, for when the server has not answered yet this run. */
  session: { planIncludesCaller: boolean; callerEnabled: boolean; isAdmin: boolean };
}

/**
 * The one place the phone's state is decided. "Ready" only when a call can
 * really go out: the server answers (it authorizes every call), the PBX has
 * the phone registered, the plan and the admin allow Caller, a number is
 * verified as caller ID and the company has credit. Otherwise the first
 * blocker, in the order a user would fix them.
 */
export function derivePhoneState({ link, registration, sipConfigProblem, session }: PhoneStateInputs): PhoneState {
  const facts = link?.readiness ?? null;
  const planIncludesCaller = facts?.planIncludesCaller ?? session.planIncludesCaller;
  const mayCall = facts === null ? session.callerEnabled : facts.userMayCall;
  if (!planIncludesCaller) return { kind: "no_plan", action: session.isAdmin ? null : "ask_admin" };
  if (!mayCall || sipConfigProblem === "not_allowed") return { kind: "no_access", action: "ask_admin" };

  const serverDown = link?.status === "unreachable" || sipConfigProblem === "server_unreachable" || (registration?.status === "failed" && registration.problem === "server_unreachable");
  if (serverDown) return { kind: "reconnecting", cause: "server", action: "retry" };
  if (facts !== null && facts.verifiedNumber === null) return { kind: "no_number", action: "connect_number" };
  if (facts !== null && !facts.hasCredit) return { kind: "no_credit", action: session.isAdmin ? "buy_credit" : "ask_admin" };
  if (sipConfigProblem === "other") return { kind: "refused", action: "retry" };
  // The server's facts are due at the first answer: until then nothing is promised.
  if (link?.status === "checking" || registration === null) return { kind: "starting" };

  switch (registration.status) {
    case "registered":
      return { kind: "ready" };
    case "unregistered":
    case "registering":
      return { kind: "starting" };
    case "reconnecting":
      return { kind: "reconnecting", cause: registration.busy === true ? "pbx_busy" : "pbx", action: "retry" };
    case "failed":
      // The PBX was unreachable, or refused what the server just handed out (its realtime cache lagging a restart): trying again fixes both.
      return registration.problem === "caller_not_enabled" ? { kind: "no_access", action: "ask_admin" } : registration.problem === "pbx_unreachable" ? { kind: "reconnecting", cause: "pbx", action: "retry" } : { kind: "refused", action: "retry" };
  }
}

