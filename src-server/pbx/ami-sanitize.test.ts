import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sanitizeAction, stripLineBreaks } from "./ami-sanitize";

describe("AMI action sanitizing", () => {
  it("no value keeps a CR, LF or NUL, whatever it contains", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string(), (value, variable) => {
        const raw = sanitizeAction({ Action: "Originate", Channel: value, Variable: { [variable]: value }, Codecs: [value, value] });
        // Every string written, names included; not via JSON, where a value's own "\\n" would look like a line break.
        const written = Object.entries(raw).flatMap(([name, v]) => [name, ...(typeof v === "string" ? [v] : Array.isArray(v) ? v : Object.entries(v).flat())]);
        expect(written.filter((text) => /[\r\n\0]/.test(text))).toEqual([]);
      }),
    );
  });

  it("keeps everything else of a value, so a stripped injection stays one value", () => {
    expect(stripLineBreaks("x\r\nAction: Originate\r\nChannel: Local/1@x")).toBe("xAction: OriginateChannel: Local/1@x");
    expect(sanitizeAction({ Action: "Setvar", Value: "a: b\nc" })).toEqual({ Action: "Setvar", Value: "a: bc" });
  });

  it("writes numbers and booleans as text and leaves undefined headers out", () => {
    expect(sanitizeAction({ Action: "Originate", Priority: 1, Async: true, Data: undefined })).toEqual({
      Action: "Originate",
      Priority: "1",
      Async: "true",
    });
  });

  it("drops '=' from variable names so name=value cannot shift", () => {
    expect(sanitizeAction({ Action: "Originate", Variable: { "A=B": "c=d" } })).toEqual({ Action: "Originate", Variable: { AB: "c=d" } });
  });

  it("refuses a header name that is not a plain token, and an ActionID of the caller's", () => {
    expect(() => sanitizeAction({ Action: "Ping", "X\r\nAction": "Originate" })).toThrow(/invalid AMI header name/);
    expect(() => sanitizeAction({ Action: "Ping", "Bad Name": "x" })).toThrow(/invalid AMI header name/);
    expect(() => sanitizeAction({ Action: "Ping", ActionID: "mine" })).toThrow(/assigns ActionID/);
  });
});
