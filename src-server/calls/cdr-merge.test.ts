import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dispositionOf, type CallFields } from "./call-fields";
import { mergeCdr, withDropTime } from "./cdr-merge";
import type { CdrRecord } from "./cdr-record";

const owner = { companyId: 1, userId: 2 };
const t0 = Date.UTC(2026, 10, 24, 6, 0, 0);

const cdr = (fields: Partial<CdrRecord>): CdrRecord => ({
  uniqueid: "pbx-1.7",
  accountcode: "u2-abcdefghij",
  destination: "+12015550123",
  destinationContext: "from-users",
  destinationChannel: "",
  disposition: "NO ANSWER",
  billsec: 0,
  userfield: "",
  startMs: t0,
  answerMs: null,
  endMs: t0 + 1_000,
  ...fields,
});

// What Asterisk wrote for real calls (see calls-pbx.test.ts): the Dial leg, then the dialplan after a failed Dial.
const busy = [
  cdr({ destinationChannel: "PJSIP/test-trunk-00000001", disposition: "BUSY", userfield: "authorized", endMs: t0 + 50 }),
  cdr({ destination: "dialstatus-BUSY", disposition: "BUSY", userfield: "authorized&dial=BUSY&cause=17", startMs: t0 + 50, endMs: t0 + 51 }),
];
const answered = [
  cdr({ destinationChannel: "PJSIP/test-trunk-00000000", disposition: "ANSWERED", billsec: 2, userfield: "authorized&dial=ANSWER&cause=16", answerMs: t0 + 320, endMs: t0 + 2_320 }),
];
// A SIP 603 from the far end: Q.850 cause 21, whichever dial status Asterisk gives it.
const declined = [
  cdr({ destinationChannel: "PJSIP/test-trunk-00000003", disposition: "NO ANSWER", userfield: "authorized", endMs: t0 + 60 }),
  cdr({ destination: "dialstatus-CHANUNAVAIL", userfield: "authorized&dial=CHANUNAVAIL&cause=21", startMs: t0 + 60, endMs: t0 + 61 }),
];
const declinedNoAnswer = [cdr({ destinationChannel: "PJSIP/test-trunk-00000004", userfield: "authorized&dial=NOANSWER&cause=21" })];
const cancelled = [cdr({ destinationChannel: "PJSIP/test-trunk-00000002", userfield: "authorized&dial=CANCEL&cause=19", endMs: t0 + 1_500 })];
const refused = [cdr({ destination: "+19005551234", disposition: "NO ANSWER", userfield: "refused:destination_blocked" })];
const hungUpBeforeDial = [cdr({ userfield: "" })];

const fold = (cdrs: readonly CdrRecord[], start: CallFields | null = null): CallFields =>
  cdrs.reduce<CallFields | null>((call, next) => mergeCdr(call, owner, next), start)!;

describe("folding CDRs into a call record", () => {
  it.each([
    ["busy", busy, "busy", { billedSeconds: 0, answeredAt: null, hangupCause: 17, endedAt: t0 + 51 }],
    ["answered", answered, "answered", { billedSeconds: 2, answeredAt: t0 + 320, endedAt: t0 + 2_320, hangupCause: 16 }],
    ["cancelled", cancelled, "cancelled", { billedSeconds: 0 }],
    ["declined (CHANUNAVAIL)", declined, "declined", { billedSeconds: 0, hangupCause: 21 }],
    ["declined (NOANSWER)", declinedNoAnswer, "declined", { hangupCause: 21 }],
    ["refused", refused, "refused:destination_blocked", { status: "refused", refusalReason: "destination_blocked", number: "+19005551234" }],
    ["hung up before Dial", hungUpBeforeDial, "cancelled", { status: "ended" }],
  ] as const)("%s ends as %s", (_name, cdrs, disposition, fields) => {
    const call = fold(cdrs);
    expect(dispositionOf(call)).toBe(disposition);
    expect(call).toMatchObject({ ...owner, pbxUniqueid: "pbx-1.7", startedAt: t0, ...fields });
  });

  it("keeps the number, client call id and earlier start of the record authorize made", () => {
    const authorized: CallFields = { ...fold(answered), status: "authorized", clientCallId: "c-1", number: "+12015550123", startedAt: t0 + 5, answeredAt: null, endedAt: null, billedSeconds: 0, dialStatus: null, hangupCause: null, cdrDisposition: null };
    expect(fold(busy, authorized)).toMatchObject({ status: "ended", clientCallId: "c-1", number: "+12015550123", startedAt: t0 });
  });

  it("leaves a call closed as interrupted exactly as it is, whatever CDRs turn up later", () => {
    const interrupted: CallFields = { ...fold(answered), status: "ended", interrupted: true, answeredAt: t0 + 320, endedAt: t0 + 1_320, billedSeconds: 1, dialStatus: null, hangupCause: null, cdrDisposition: null, costMicros: 13_000, tariffVersion: 1 };
    expect(dispositionOf(interrupted)).toBe("interrupted");
    for (const cdrs of [answered, busy, cancelled, refused]) expect(fold(cdrs, interrupted)).toBe(interrupted);
  });

  it("falls back to the Dial leg's CDR disposition when the dialplan's mark is missing", () => {
    expect(dispositionOf(fold([busy[0]!]))).toBe("busy");
    expect(dispositionOf(fold([{ ...answered[0]!, userfield: "authorized" }]))).toBe("answered");
  });

  it("gives the same record for any order and any number of repeats of the same CDRs", () => {
    const calls = [busy, answered, cancelled, refused];
    fc.assert(
      fc.property(fc.constantFrom(...calls), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 12 }), (cdrs, repeats) => {
        // Each CDR at least once, some again, all in an order set by random keys.
        const delivered = [
          ...cdrs.map((c, i) => ({ c, key: repeats[i]?.[1] ?? i })),
          ...repeats.map(([pick, key]) => ({ c: cdrs[pick % cdrs.length]!, key })),
        ].sort((a, b) => a.key - b.key);
        expect(fold(delivered.map((d) => d.c))).toEqual(fold(cdrs));
      }),
    );
  });
});

describe("a voicemail drop's time", () => {
  const dialLeg = answered[0]!;
  const merged = mergeCdr(null, owner, dialLeg);

  it("bills from the answer to the greeting's end, and ends the call then", () => {
    // Answered at +0.32 s, the drop at +2.32 s, the greeting played until +7.9 s.
    expect(withDropTime(merged, t0 + 7_900)).toMatchObject({ billedSeconds: 7, endedAt: t0 + 7_900, answeredAt: t0 + 320 });
  });

  it("is the same whether the greeting's end or the Dial leg is known first, and repeating it changes nothing", () => {
    const fromAuthorize = mergeCdr(null, owner, cdr({ userfield: "authorized" }));
    // The greeting's end seen first: no answer known yet, nothing to bill from.
    expect(withDropTime(fromAuthorize, t0 + 7_900)).toEqual(fromAuthorize);
    const later = withDropTime(mergeCdr(withDropTime(fromAuthorize, t0 + 7_900), owner, dialLeg), t0 + 7_900);
    const first = withDropTime(withDropTime(merged, t0 + 7_900), t0 + 7_900);
    expect(later.billedSeconds).toBe(first.billedSeconds);
    expect(later.endedAt).toBe(first.endedAt);
  });

  it("no drop, or an interrupted call, is left as it is", () => {
    expect(withDropTime(merged, null)).toBe(merged);
    const interrupted = { ...merged, interrupted: true };
    expect(withDropTime(interrupted, t0 + 7_900)).toBe(interrupted);
  });
});
