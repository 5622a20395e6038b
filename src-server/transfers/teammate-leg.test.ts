import { describe, expect, it } from "vitest";
import type { CdrRecord } from "../calls/cdr-record";
import { sinceTransfer, teammateLegFields } from "./teammate-leg";

const transferAt = 1_800_000_010_000;
const cdr = (patch: Partial<CdrRecord>): CdrRecord => ({
  uniqueid: "pbx-1800000000.7",
  accountcode: "",
  destination: "u2-abcdefghij",
  destinationContext: "transfer-user",
  destinationChannel: "PJSIP/u2-abcdefghij-0000000a",
  disposition: "ANSWERED",
  billsec: 20,
  userfield: "",
  startMs: transferAt + 100,
  answerMs: transferAt + 4_000,
  endMs: transferAt + 24_000,
  ...patch,
});

describe("a teammate's leg of a transferred call", () => {
  it("is a received call of theirs, open, from the other party's number, naming who transferred it", () => {
    const fields = teammateLegFields({ companyId: 1, teammateId: 2, farUniqueid: "pbx-1800000000.7", legClientCallId: "6666ffff-0000-4000-8000-000000000006", number: "+12015550188", byName: "Sora Sales" }, transferAt);
    expect(fields).toMatchObject({ companyId: 1, userId: 2, pbxUniqueid: "pbx-1800000000.7", direction: "inbound", status: "authorized", number: "+12015550188", startedAt: transferAt, costMicros: null, transferredBy: "Sora Sales" });
  });

  it("counts a CDR from the teammate's answer on: the channel's CDR is stamped answered at its start, and an unanswered Dial answered nothing", () => {
    const ringing = cdr({ startMs: transferAt + 5, answerMs: transferAt + 5, billsec: 23 });
    // The teammate picked up 3.5 s after the transfer (AMI's DialEnd): the leg is from then to the end.
    expect(sinceTransfer(ringing, transferAt, transferAt + 3_500)).toEqual(cdr({ startMs: transferAt + 5, answerMs: transferAt + 3_500, billsec: 20 }));
    // No answer heard on AMI: from the CDR's own answer, never before the transfer.
    expect(sinceTransfer(ringing, transferAt, null)).toEqual(ringing);
    expect(sinceTransfer(cdr({ startMs: transferAt - 40_000, answerMs: transferAt - 30_000, billsec: 54 }), transferAt, null)).toEqual(cdr({ startMs: transferAt, answerMs: transferAt, billsec: 24 }));
    // Declined: the Dial leg's CDR says BUSY yet carries an answer time (the other party's channel is up).
    expect(sinceTransfer(cdr({ disposition: "BUSY", answerMs: transferAt + 5, billsec: 0 }), transferAt, null)).toMatchObject({ answerMs: null, billsec: 0 });
    // Applied twice (a replay), the same.
    const once = sinceTransfer(ringing, transferAt, transferAt + 3_500);
    expect(sinceTransfer(once, transferAt, transferAt + 3_500)).toEqual(once);
  });

  it("after an attended transfer of an incoming call, counts the teammate's own channel's CDR (no destination, from the bridge) as the leg's talk", () => {
    const own = cdr({ accountcode: "teammate", destinationContext: "from-users", destinationChannel: "", startMs: transferAt + 20, answerMs: transferAt + 20, billsec: 23, endMs: transferAt + 23_100 });
    expect(sinceTransfer(own, transferAt, null)).toMatchObject({ answerMs: transferAt + 20, billsec: 23, destinationChannel: expect.not.stringMatching(/^(PJSIP\/)?$/) as unknown });
    // Another CDR with no destination (a message after a declined Dial) stays a dialplan-only CDR.
    expect(sinceTransfer(cdr({ destinationChannel: "" }), transferAt, null).destinationChannel).toBe("");
  });
});
