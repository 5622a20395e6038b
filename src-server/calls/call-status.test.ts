import { describe, expect, it } from "vitest";
import { callStatuses, nextCallStatus, type CallEvent, type CallStatus } from "./call-status";

describe("a call record's status", () => {
  it.each<[CallStatus | null, CallEvent, CallStatus]>([
    [null, "allowed", "authorized"],
    [null, "denied", "refused"],
    [null, "cdr-ended", "ended"],
    [null, "cdr-refused", "refused"],
    ["authorized", "allowed", "authorized"],
    ["authorized", "cdr-ended", "ended"],
    ["authorized", "cdr-refused", "refused"],
    ["refused", "denied", "refused"],
    ["refused", "cdr-ended", "refused"],
    ["refused", "cdr-refused", "refused"],
    ["ended", "cdr-ended", "ended"],
    ["authorized", "pbx-lost", "ended"],
  ])("%s takes %s and becomes %s", (from, event, to) => {
    expect(nextCallStatus(from, event)).toBe(to);
  });

  it.each<[CallStatus | null, CallEvent]>([
    ["authorized", "denied"],
    ["refused", "allowed"],
    ["ended", "allowed"],
    ["ended", "denied"],
    ["ended", "cdr-refused"],
    [null, "pbx-lost"],
    ["refused", "pbx-lost"],
    ["ended", "pbx-lost"],
  ])("refuses %s taking %s with a conflict", (from, event) => {
    expect(() => nextCallStatus(from, event)).toThrow(expect.objectContaining({ code: "conflict" }) as Error);
  });

  it("never leaves a refused or ended call for another status", () => {
    const events: CallEvent[] = ["allowed", "denied", "cdr-ended", "cdr-refused", "pbx-lost"];
    for (const from of callStatuses.filter((s) => s !== "authorized")) {
      for (const event of events) {
        try {
          expect(nextCallStatus(from, event)).toBe(from);
        } catch (error) {
          expect(error).toMatchObject({ code: "conflict" });
        }
      }
    }
  });
});
