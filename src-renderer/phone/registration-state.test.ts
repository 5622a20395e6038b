import { describe, expect, it } from "vitest";
import { IllegalTransition, initialRegistration, registrationTransition, type RegistrationEvent, type RegistrationState } from "./registration-state";

const run = (events: RegistrationEvent[], from: RegistrationState = initialRegistration) => events.reduce(registrationTransition, from);

describe("registrationTransition", () => {
  it("goes unregistered → registering → registered", () => {
    expect(run([{ type: "start" }, { type: "registered", at: 5 }])).toEqual({ status: "registered", since: 5 });
  });

  it("shows reconnecting after a dropped WebSocket and registered again after", () => {
    const lost = run([{ type: "start" }, { type: "registered", at: 5 }, { type: "connection-lost", attempt: 1, retryAt: 600 }]);
    expect(lost).toEqual({ status: "reconnecting", attempt: 1, retryAt: 600 });
    expect(run([{ type: "connection-lost", attempt: 2, retryAt: 1600 }, { type: "registered", at: 2000 }], lost)).toEqual({ status: "registered", since: 2000 });
  });

  it("keeps the time it first registered across refreshes", () => {
    expect(run([{ type: "start" }, { type: "registered", at: 5 }, { type: "registered", at: 900 }])).toEqual({ status: "registered", since: 5 });
  });

  it("fails on rejected credentials and may start again", () => {
    const failed = run([{ type: "start" }, { type: "failed", problem: "unauthorized" }]);
    expect(failed).toEqual({ status: "failed", problem: "unauthorized" });
    expect(registrationTransition(failed, { type: "start" })).toEqual({ status: "registering" });
  });

  it("stops from anywhere", () => {
    expect(run([{ type: "start" }, { type: "connection-lost", attempt: 1, retryAt: 1 }, { type: "stop" }])).toEqual({ status: "unregistered" });
  });

  it.each<[RegistrationEvent[], RegistrationEvent]>([
    [[], { type: "registered", at: 1 }],
    [[], { type: "connection-lost", attempt: 1, retryAt: 1 }],
    [[], { type: "failed", problem: "pbx_unreachable" }],
    [[{ type: "start" }, { type: "registered", at: 1 }], { type: "start" }],
    [[{ type: "start" }, { type: "failed", problem: "unauthorized" }], { type: "registered", at: 2 }],
    [[{ type: "start" }, { type: "failed", problem: "unauthorized" }], { type: "connection-lost", attempt: 1, retryAt: 1 }],
  ])("refuses an illegal move (%#)", (before, event) => {
    expect(() => registrationTransition(run(before), event)).toThrow(IllegalTransition);
  });
});
