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

  it("counts a CDR from the transfer on: a CDR that began in the first call loses those seconds, one inside the leg is kept as it is", () => {
    expect(sinceTransfer(cdr({}), transferAt)).toEqual(cdr({}));
    // The channel's CDR carried its first answer (30 s before the transfer): the leg is the 24 s after it.
    expect(sinceTransfer(cdr({ startMs: transferAt - 40_000, answerMs: transferAt - 30_000, billsec: 54 }), transferAt)).toEqual(cdr({ startMs: transferAt, answerMs: transferAt, billsec: 24 }));
    expect(sinceTransfer(cdr({ answerMs: null, billsec: 0, disposition: "NO ANSWER" }), transferAt)).toMatchObject({ answerMs: null, billsec: 0 });
    // Applied twice (a replay), the same.
    const once = sinceTransfer(cdr({ startMs: transferAt - 40_000, answerMs: transferAt - 30_000, billsec: 54 }), transferAt);
    expect(sinceTransfer(once, transferAt)).toEqual(once);
  });
});
