import { describe, expect, it } from "vitest";
import { formatAnswer } from "../calls/authorize";
import { recordingDecision } from "../../src-shared/credits/decide-call";

describe("the authorize answer's recording decision", () => {
  it.each([
    // enabled, enforced, user wants it → record
    [false, false, true, false],
    [false, true, true, false],
    [true, true, false, true],
    [true, true, true, true],
    [true, false, true, true],
    [true, false, false, false],
  ])("recording on %s, enforced %s, the user's choice %s → record %s", (enabled, enforced, wants, record) => {
    expect(recordingDecision({ enabled, enforced, consentAnnouncement: false }, wants)).toEqual({ record, announce: false });
  });

  it("asks for the consent notice only on a call that is recorded", () => {
    expect(recordingDecision({ enabled: true, enforced: false, consentAnnouncement: true }, true)).toEqual({ record: true, announce: true });
    expect(recordingDecision({ enabled: true, enforced: false, consentAnnouncement: true }, false)).toEqual({ record: false, announce: false });
  });

  it("keeps MixMonitor off when the desktop records, with the consent notice still asked for", () => {
    const desktop = { enabled: true, enforced: false, consentAnnouncement: true, source: "desktop" } as const;
    expect(recordingDecision(desktop, true)).toEqual({ record: false, announce: true });
    expect(recordingDecision(desktop, false)).toEqual({ record: false, announce: false });
    expect(recordingDecision({ ...desktop, enforced: true }, false)).toEqual({ record: false, announce: true });
    expect(recordingDecision({ ...desktop, source: "pbx" }, true)).toEqual({ record: true, announce: true });
  });

  it("reaches the dialplan as record=1&announce=1, and as record=0 alone when off", () => {
    const allow = { result: "allow", callerId: "+81312345678", maxSeconds: 600 } as const;
    expect(formatAnswer({ ...allow, record: true, announce: true })).toBe("result=allow&callerid=%2B81312345678&maxSeconds=600&record=1&announce=1");
    expect(formatAnswer({ ...allow, record: false, announce: false })).toBe("result=allow&callerid=%2B81312345678&maxSeconds=600&record=0");
  });
});
