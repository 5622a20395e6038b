import { describe, expect, it } from "vitest";
import { voicemailEmail, type VoicemailEmail } from "./voicemail-email";

const base: VoicemailEmail = {
  to: "aiko@example.com",
  language: "en",
  companyName: "Co",
  country: "JP",
  timeZone: "Asia/Tokyo",
  from: "+12015550188",
  contactName: null,
  companyNumber: "+81355550100",
  numberLabel: "Sales line",
  transferredBy: null,
  at: Date.UTC(2026, 11, 7, 5, 0, 0),
  durationMs: 12_000,
  audio: null,
  messageId: "<voicemail-1@caller.invalid>",
};

describe("the voicemail email", () => {
  it("names the company number dialed for a call that came in on one", () => {
    expect(voicemailEmail(base).text).toContain("+1 201 555 0188 left a voicemail on Sales line 03-5555-0100.");
  });

  it("after a teammate's transfer, says who transferred the call instead of a number (there is none), in English and Japanese", () => {
    const en = voicemailEmail({ ...base, companyNumber: "", numberLabel: null, transferredBy: "Sora Sales" });
    expect(en.text.split("\n")[0]).toBe("+1 201 555 0188 left a voicemail after Sora Sales transferred the call to you.");
    expect(en.subject).toMatch(/^Voicemail from \+1 201 555 0188 \(12 /);
    const ja = voicemailEmail({ ...base, language: "ja", companyNumber: "", numberLabel: null, transferredBy: "Sora Sales" });
    expect(ja.text.split("\n")[0]).toBe("Sora Sales さんから転送された +1 201 555 0188 の通話で、ボイスメールが届きました。");
    expect(ja.html).toContain("<p>Sora Sales さんから転送された");
  });
});
