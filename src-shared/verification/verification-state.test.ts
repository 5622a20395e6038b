import { describe, expect, it } from "vitest";
import { isFinalVerificationState, nextVerificationState, verificationStates, type VerificationEvent, type VerificationState } from "./verification-state";

function run(events: VerificationEvent[]): VerificationState | null {
  let state: VerificationState | null = "calling";
  for (const event of events) state = state === null ? null : nextVerificationState(state, event);
  return state;
}

describe("verification state machine", () => {
  it("a call that rings, is answered and gets the right digits ends verified", () => {
    expect(run(["ringing", "answered", "digits_match"])).toBe("verified");
  });

  it("wrong digits, then the right ones on the same call, verify; a third wrong attempt fails", () => {
    expect(run(["answered", "digits_wrong", "digits_match"])).toBe("verified");
    expect(run(["answered", "digits_wrong", "digits_wrong", "too_many_attempts"])).toBe("failed");
  });

  it("busy and no answer only come before the answer", () => {
    expect(run(["ringing", "busy"])).toBe("busy");
    expect(run(["no_answer"])).toBe("no_answer");
    expect(run(["answered", "busy"])).toBeNull();
    expect(run(["answered", "no_answer"])).toBeNull();
  });

  it("digits before the answer are refused", () => {
    expect(nextVerificationState("ringing", "digits_match")).toBeNull();
    expect(nextVerificationState("calling", "digits_wrong")).toBeNull();
  });

  it("nothing moves a final state except more digits after a wrong code", () => {
    const events: VerificationEvent[] = ["ringing", "answered", "digits_match", "digits_wrong", "too_many_attempts", "no_answer", "busy", "failed", "expired", "cancelled"];
    for (const state of verificationStates.filter(isFinalVerificationState)) {
      const moves = events.filter((event) => nextVerificationState(state, event) !== null);
      expect(moves, state).toEqual(state === "wrong_code" ? ["digits_match", "digits_wrong", "too_many_attempts"] : []);
    }
  });

  it("a live verification can always be cancelled, expire or fail", () => {
    for (const state of ["calling", "ringing", "answered"] as const) {
      expect(nextVerificationState(state, "cancelled")).toBe("cancelled");
      expect(nextVerificationState(state, "expired")).toBe("expired");
      expect(nextVerificationState(state, "failed")).toBe("failed");
    }
  });
});
