import { describe, expect, it } from "vitest";
import type { ServerLink } from "../../src-shared/api/areas/phone";
import type { PhoneReadinessReply } from "../../src-shared/server-api/phone-readiness";
import { asksForOutcome } from "./call-outcome-rule";
import type { CallState } from "./call-state";
import { derivePhoneState, type PhoneStateInputs } from "./phone-state";

const facts: PhoneReadinessReply = { planIncludesCaller: true, userMayCall: true, verifiedNumber: "+819012345678", hasCredit: true };
const up: ServerLink = { status: "reachable", retryAt: null, readiness: facts };
const ready: PhoneStateInputs = {
  link: up,
  registration: { status: "registered", since: 1 },
  sipConfigProblem: null,
  session: { planIncludesCaller: true, callerEnabled: true, isAdmin: false },
};
const withFacts = (patch: Partial<PhoneReadinessReply>): PhoneStateInputs => ({ ...ready, link: { ...up, readiness: { ...facts, ...patch } } });

describe("derivePhoneState", () => {
  it("is ready only when the server answers, the phone is registered and every fact holds", () => {
    expect(derivePhoneState(ready)).toEqual({ kind: "ready" });
  });

  it("is not ready while the server has not answered yet this run, even with the phone registered", () => {
    expect(derivePhoneState({ ...ready, link: { status: "checking", retryAt: null, readiness: null } }).kind).toBe("starting");
    expect(derivePhoneState({ ...ready, registration: null }).kind).toBe("starting");
    expect(derivePhoneState({ ...ready, registration: { status: "registering" } }).kind).toBe("starting");
  });

  it("a lost server is Reconnecting with Retry, even while the PBX still holds the registration", () => {
    expect(derivePhoneState({ ...ready, link: { ...up, status: "unreachable", retryAt: 5 } })).toEqual({ kind: "reconnecting", cause: "server", action: "retry" });
    expect(derivePhoneState({ ...ready, link: { status: "checking", retryAt: null, readiness: null }, registration: null, sipConfigProblem: "server_unreachable" })).toEqual({ kind: "reconnecting", cause: "server", action: "retry" });
    expect(derivePhoneState({ ...ready, registration: { status: "failed", problem: "server_unreachable" } }).kind).toBe("reconnecting");
  });

  it("a lost PBX is Reconnecting with Retry, never a request to sign in again", () => {
    expect(derivePhoneState({ ...ready, registration: { status: "reconnecting", attempt: 2, retryAt: 9 } })).toEqual({ kind: "reconnecting", cause: "pbx", action: "retry" });
    // Turned away for now (503 while the PBX is overloaded): reached, but busy; not "cannot be reached".
    expect(derivePhoneState({ ...ready, registration: { status: "reconnecting", attempt: 1, retryAt: 9, busy: true } })).toEqual({ kind: "reconnecting", cause: "pbx_busy", action: "retry" });
    expect(derivePhoneState({ ...ready, registration: { status: "failed", problem: "pbx_unreachable" } }).kind).toBe("reconnecting");
    expect(derivePhoneState({ ...ready, registration: { status: "failed", problem: "unauthorized" } })).toEqual({ kind: "refused", action: "retry" });
  });

  it("without a verified number: Connect your number, whatever the PBX says", () => {
    expect(derivePhoneState(withFacts({ verifiedNumber: null }))).toEqual({ kind: "no_number", action: "connect_number" });
    expect(derivePhoneState({ ...withFacts({ verifiedNumber: null }), registration: { status: "registered", since: 1 } }).kind).not.toBe("ready");
  });

  it("without credit: admins are offered Buy credit, everyone else Ask your admin", () => {
    expect(derivePhoneState(withFacts({ hasCredit: false }))).toEqual({ kind: "no_credit", action: "ask_admin" });
    expect(derivePhoneState({ ...withFacts({ hasCredit: false }), session: { ...ready.session, isAdmin: true } })).toEqual({ kind: "no_credit", action: "buy_credit" });
  });

  it("without Caller access or plan: Ask your admin, before anything else", () => {
    expect(derivePhoneState({ ...withFacts({ userMayCall: false, verifiedNumber: null }), link: { ...up, status: "unreachable", readiness: { ...facts, userMayCall: false } } })).toEqual({ kind: "no_access", action: "ask_admin" });
    expect(derivePhoneState({ ...ready, sipConfigProblem: "not_allowed" }).kind).toBe("no_access");
    expect(derivePhoneState({ ...ready, link: null, session: { ...ready.session, callerEnabled: false } }).kind).toBe("no_access");
    expect(derivePhoneState(withFacts({ planIncludesCaller: false }))).toEqual({ kind: "no_plan", action: "ask_admin" });
    expect(derivePhoneState({ ...withFacts({ planIncludesCaller: false }), session: { ...ready.session, isAdmin: true } })).toEqual({ kind: "no_plan", action: null });
  });

  it("the server down outranks the facts it last gave: they may have changed", () => {
    expect(derivePhoneState({ ...withFacts({ verifiedNumber: null }), link: { status: "unreachable", retryAt: 1, readiness: { ...facts, verifiedNumber: null } } }).kind).toBe("reconnecting");
  });
});

describe("asksForOutcome", () => {
  const ended = (connectedAt: number | null, end: Extract<CallState, { status: "ended" }>["end"]): Extract<CallState, { status: "ended" }> => ({ status: "ended", callId: "c", number: "+12015550123", dialedAt: 0, connectedAt, endedAt: 9, end });

  it("asks after a conversation, and after a call the far end did not take", () => {
    expect(asksForOutcome(ended(1, { by: "remote" }))).toBe(true);
    expect(asksForOutcome(ended(1, { by: "failure", reason: "media_failed" }))).toBe(true);
    expect(asksForOutcome(ended(null, { by: "failure", reason: "no_answer" }))).toBe(true);
    expect(asksForOutcome(ended(null, { by: "failure", reason: "busy" }))).toBe(true);
    expect(asksForOutcome(ended(null, { by: "local" }))).toBe(true);
  });

  it("asks nothing for a call refused before it rang", () => {
    for (const reason of ["number_not_verified", "no_credit", "destination_blocked", "server_unreachable", "caller_not_enabled", "pbx_unreachable"] as const) {
      expect(asksForOutcome(ended(null, { by: "failure", reason }))).toBe(false);
    }
  });
});
