import { describe, expect, it } from "vitest";
import { callFailureFromResponse, parseQ850Cause } from "./call-failure";

describe("parseQ850Cause", () => {
  it.each([
    ["Q.850;cause=57", 57],
    ['Q.850 ; cause="17" ; text="User busy"', 17],
    ['SIP;cause=200;text="Call completed elsewhere", Q.850;cause=16', 16],
    ["q.850;CAUSE=21", 21],
  ])("reads %j as %i", (header, cause) => {
    expect(parseQ850Cause(header)).toBe(cause);
  });

  it.each([[undefined], [null], [""], ["SIP;cause=486"], ["Q.850;cause=abc"], ["Q.850;text=x"]])("finds no cause in %j", (header) => {
    expect(parseQ850Cause(header)).toBeNull();
  });
});

describe("callFailureFromResponse", () => {
  it.each([
    // The PBX's refusals (pbx-config/README.md).
    [484, "Q.850;cause=28", "invalid_number"],
    [603, "Q.850;cause=57", "no_credit"],
    [603, "Q.850;cause=50", "caller_not_enabled"],
    [603, "Q.850;cause=52", "number_not_verified"],
    [480, "Q.850;cause=31", "denied"],
    [500, "Q.850;cause=38", "authorize_failed"],
    // What Dial ended with.
    [486, "Q.850;cause=17", "busy"],
    [480, "Q.850;cause=19", "no_answer"],
    [503, "Q.850;cause=34", "congestion"],
  ])("tells %i with %j apart as %s", (status, reason, expected) => {
    expect(callFailureFromResponse(status, reason)).toBe(expected);
  });

  it.each([
    [486, "busy"],
    [600, "busy"],
    [480, "no_answer"],
    [408, "no_answer"],
    [603, "declined"],
    [404, "invalid_number"],
    [484, "invalid_number"],
    [401, "unauthorized"],
    [407, "unauthorized"],
    [488, "media_failed"],
    [503, "congestion"],
    [500, "pbx_error"],
    [599, "pbx_error"],
    [499, "unknown"],
  ])("falls back to the status %i without a cause: %s", (status, expected) => {
    expect(callFailureFromResponse(status)).toBe(expected);
  });

  it("tells the PBX's blocked-destination refusal from a far end declining by the final response alone", () => {
    // Whether or not the refusal's early media reached the app first (on a loaded box SIP.js reports the 183 late).
    expect(callFailureFromResponse(603, "Q.850;cause=53")).toBe("destination_blocked");
    expect(callFailureFromResponse(403, "Q.850;cause=21")).toBe("declined");
  });

  it("lets a cause it does not know fall back to the status", () => {
    expect(callFailureFromResponse(486, "Q.850;cause=127")).toBe("busy");
  });
});
