import { describe, expect, it } from "vitest";
import { callTransition, idleCall, isLive, type CallEvent, type CallState } from "./call-state";
import { IllegalTransition } from "./registration-state";

const dial: CallEvent = { type: "dial", callId: "c1", number: "+12015550123", at: 100 };
const run = (events: CallEvent[], from: CallState = idleCall) => events.reduce(callTransition, from);

describe("callTransition", () => {
  it("follows a call from dialing through ringing, talk and hold to a local hang-up", () => {
    const states = [dial, { type: "progress", at: 150, earlyMedia: false }, { type: "accepted", at: 400 }, { type: "hold" }, { type: "resume" }, { type: "hang-up" }, { type: "ended", at: 9000, end: { by: "local" } }] satisfies CallEvent[];
    const statuses: string[] = [];
    states.reduce((state, event) => {
      const next = callTransition(state, event);
      statuses.push(next.status);
      return next;
    }, idleCall);
    expect(statuses).toEqual(["dialing", "ringing", "connected", "on-hold", "connected", "ending", "ended"]);
    expect(run(states)).toMatchObject({ status: "ended", connectedAt: 400, endedAt: 9000, end: { by: "local" }, callId: "c1" });
  });

  it("records the far end hanging up", () => {
    expect(run([dial, { type: "accepted", at: 300 }, { type: "ended", at: 5000, end: { by: "remote" } }])).toMatchObject({ status: "ended", end: { by: "remote" } });
  });

  it("ends a refused call with its reason and no connect time", () => {
    const ended = run([dial, { type: "progress", at: 120, earlyMedia: true }, { type: "ended", at: 800, end: { by: "failure", reason: "no_credit" } }]);
    expect(ended).toMatchObject({ status: "ended", connectedAt: null, end: { by: "failure", reason: "no_credit" } });
    expect(isLive(ended)).toBe(false);
  });

  it("keeps ringing on a second provisional response and remembers early media", () => {
    const ringing = run([dial, { type: "progress", at: 120, earlyMedia: true }, { type: "progress", at: 130, earlyMedia: false }]);
    expect(ringing).toMatchObject({ status: "ringing", ringingAt: 120, earlyMedia: true });
  });

  it("stays ending when the far end starts ringing just after the user hung up", () => {
    const ending = run([dial, { type: "hang-up" }]);
    expect(callTransition(ending, { type: "progress", at: 150, earlyMedia: true })).toBe(ending);
    expect(run([dial, { type: "progress", at: 120, earlyMedia: false }, { type: "hang-up" }, { type: "progress", at: 130, earlyMedia: true }])).toMatchObject({ status: "ending" });
  });

  it("allows a new call after the last one ended, or going back to idle", () => {
    const ended = run([dial, { type: "ended", at: 200, end: { by: "local" } }]);
    expect(callTransition(ended, { type: "dismiss" })).toEqual(idleCall);
    expect(callTransition(ended, { ...dial, callId: "c2" })).toMatchObject({ status: "dialing", callId: "c2" });
  });

  it.each<[CallEvent[], CallEvent]>([
    [[], { type: "hang-up" }],
    [[], { type: "accepted", at: 1 }],
    [[], { type: "dismiss" }],
    [[dial], dial],
    [[dial], { type: "hold" }],
    [[dial, { type: "accepted", at: 1 }], { type: "progress", at: 2, earlyMedia: false }],
    [[dial, { type: "accepted", at: 1 }], { type: "resume" }],
    [[dial, { type: "hang-up" }], { type: "hang-up" }],
    [[dial, { type: "ended", at: 2, end: { by: "local" } }], { type: "ended", at: 3, end: { by: "remote" } }],
  ])("refuses an illegal move (%#)", (before, event) => {
    expect(() => callTransition(run(before), event)).toThrow(IllegalTransition);
  });
});
