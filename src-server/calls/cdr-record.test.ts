import { describe, expect, it } from "vitest";
import { cdrFromAmiEvent, cdrFromStoreRow, epochToMs, parseUserfield } from "./cdr-record";

describe("what the dialplan writes in CDR(userfield)", () => {
  it.each([
    ["refused:no_credit", { kind: "refused", reason: "no_credit" }],
    ["authorized", { kind: "authorized", dialStatus: null, cause: null, voicemail: false }],
    ["authorized&dial=ANSWER&cause=16", { kind: "authorized", dialStatus: "ANSWER", cause: 16, voicemail: false }],
    ["authorized&dial=&cause=16", { kind: "authorized", dialStatus: null, cause: 16, voicemail: false }],
    ["authorized&dial=bad status&cause=999", { kind: "authorized", dialStatus: null, cause: null, voicemail: false }],
    ["authorized&dial=ANSWER&voicemail=1", { kind: "authorized", dialStatus: "ANSWER", cause: null, voicemail: false }],
    ["inbound", { kind: "authorized", dialStatus: null, cause: null, voicemail: false }],
    ["inbound&dial=NOANSWER&cause=16&voicemail=1", { kind: "authorized", dialStatus: "NOANSWER", cause: 16, voicemail: true }],
    ["inbound&dial=ANSWER&cause=16&voicemail=", { kind: "authorized", dialStatus: "ANSWER", cause: 16, voicemail: false }],
    ["inboundx", { kind: "none" }],
    ["", { kind: "none" }],
    ["verify", { kind: "none" }],
    ["refused:DROP TABLE", { kind: "none" }],
    ["authorizedx", { kind: "none" }],
  ])("%j reads as %j", (userfield, mark) => {
    expect(parseUserfield(userfield)).toEqual(mark);
  });
});

describe("CDR times", () => {
  it("reads seconds.micros as ms and an unanswered 0 as null", () => {
    expect(epochToMs("1795500234.383889")).toBe(1795500234384);
    expect(epochToMs("0.000000")).toBeNull();
    expect(epochToMs("")).toBeNull();
    expect(epochToMs(null)).toBeNull();
  });

  it("takes an AMI Cdr event's epoch mappings, and falls back to its local time read as UTC", () => {
    const event = {
      event: "Cdr", uniqueid: "pbx-1.5", accountcode: "u2-abcdefghij", destination: "+12015550123", destinationcontext: "from-users",
      destinationchannel: "PJSIP/test-trunk-00000000", disposition: "ANSWERED", billableseconds: "2", userfield: "authorized&dial=ANSWER&cause=16",
      starttime: "2026-11-24 06:03:54", answertime: "2026-11-24 06:03:54", endtime: "2026-11-24 06:03:56",
      startepoch: "1795500234.380753", answerepoch: "1795500234.700576", endepoch: "1795500236.700884",
    };
    expect(cdrFromAmiEvent(event)).toEqual({
      uniqueid: "pbx-1.5", accountcode: "u2-abcdefghij", destination: "+12015550123", destinationContext: "from-users",
      destinationChannel: "PJSIP/test-trunk-00000000", disposition: "ANSWERED", billsec: 2, userfield: "authorized&dial=ANSWER&cause=16",
      startMs: 1795500234381, answerMs: 1795500234701, endMs: 1795500236701,
    });
    const { startepoch: _s, answerepoch: _a, endepoch: _e, ...plain } = event;
    expect(cdrFromAmiEvent(plain)).toMatchObject({ startMs: Date.UTC(2026, 10, 24, 6, 3, 54), endMs: Date.UTC(2026, 10, 24, 6, 3, 56) });
    expect(cdrFromAmiEvent({ ...event, uniqueid: "" })).toBeNull();
  });

  it("reads a cdr.db row the same way as the AMI event of the same CDR", () => {
    const row = {
      AcctId: 4, uniqueid: "pbx-1.5", accountcode: "u2-abcdefghij", dst: "+12015550123", dcontext: "from-users", dstchannel: "PJSIP/test-trunk-00000000",
      disposition: "ANSWERED", billsec: "2", userfield: "authorized&dial=ANSWER&cause=16", start: "1795500234.380753", answer: "1795500234.700576", end: "1795500236.700884",
    };
    expect(cdrFromStoreRow(row)).toMatchObject({ uniqueid: "pbx-1.5", billsec: 2, startMs: 1795500234381, answerMs: 1795500234701, endMs: 1795500236701 });
    expect(cdrFromStoreRow({ ...row, end: "0" })).toBeNull();
  });
});
