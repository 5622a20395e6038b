import { describe, expect, it } from "vitest";
import type { CostRow } from "./cost";
import { decideCall, type CallFacts } from "./decide-call";

// $0.12 a minute, billed 30/6, no connection fee: $1 buys 498 s.
const rate: CostRow = { ratePerMinuteMicros: 120_000, connectionFeeMicros: 0, increments: { first: 30, next: 6 } };
const caller = {
  revoked: false,
  plan: "professional" as const,
  role: "regular" as const,
  callerEnabled: true,
  isTrial: false,
  maxCallSeconds: 3_600,
  verifiedNumber: "+81312340000",
  recording: { enabled: true, enforced: false, consentAnnouncement: true, source: "pbx" as const },
};
const facts: CallFacts = {
  caller,
  destination: { ok: true },
  balance: { bonusMicros: 0, purchasedMicros: 100_000_000, reservedMicros: 0 },
  rate,
  trialCapSeconds: 600,
  wantsRecording: true,
};
const deny = (reason: string) => ({ result: "deny", reason });

describe("decideCall", () => {
  it.each<[string, Partial<CallFacts>, object]>([
    ["an unknown endpoint", { caller: null }, deny("caller_not_enabled")],
    ["a revoked endpoint", { caller: { ...caller, revoked: true } }, deny("caller_not_enabled")],
    ["a plan without Caller", { caller: { ...caller, plan: "essential" } }, deny("caller_not_enabled")],
    ["a regular user Caller is off for", { caller: { ...caller, callerEnabled: false } }, deny("caller_not_enabled")],
    ["a number the policy finds invalid", { destination: { ok: false, reason: "invalid_number" } }, deny("invalid_number")],
    ["a blocked destination", { destination: { ok: false, reason: "destination_blocked" } }, deny("destination_blocked")],
    ["no verified caller ID", { caller: { ...caller, verifiedNumber: null } }, deny("number_not_verified")],
    ["no rate for the number", { rate: null }, deny("destination_blocked")],
    ["nothing left once holds are counted", { balance: { bonusMicros: 5_000_000, purchasedMicros: 0, reservedMicros: 5_000_000 } }, deny("no_credit")],
    ["a company allowed no call time", { caller: { ...caller, maxCallSeconds: 0 } }, deny("no_credit")],
    ["the company's per-call limit", {}, { result: "allow", maxSeconds: 3_600, callerId: "+81312340000", record: true, announce: true }],
    ["the trial's cap", { caller: { ...caller, isTrial: true } }, { result: "allow", maxSeconds: 600 }],
    ["a shortened trial cap", { caller: { ...caller, isTrial: true }, trialCapSeconds: 120 }, { result: "allow", maxSeconds: 120 }],
    ["what the balance buys", { balance: { bonusMicros: 1_000_000, purchasedMicros: 0, reservedMicros: 0 } }, { result: "allow", maxSeconds: 498 }],
    ["bonus held past month end still counts", { balance: { bonusMicros: 2_000_000, purchasedMicros: 0, reservedMicros: 1_000_000 } }, { result: "allow", maxSeconds: 498 }],
    ["the user turned recording off", { wantsRecording: false }, { result: "allow", record: false, announce: false }],
    ["recording enforced", { wantsRecording: false, caller: { ...caller, recording: { ...caller.recording, enforced: true } } }, { result: "allow", record: true, announce: true }],
    ["the desktop records", { caller: { ...caller, recording: { ...caller.recording, source: "desktop" } } }, { result: "allow", record: false, announce: true }],
  ])("%s", (_name, change, expected) => {
    expect(decideCall({ ...facts, ...change })).toMatchObject(expected);
  });
});
