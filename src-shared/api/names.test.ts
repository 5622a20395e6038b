import { describe, expect, it } from "vitest";
import { apiEvents, apiMethods } from "./contract";
import { eventNames, isEventName, isMethodName, methodNames } from "./names";

describe("API names", () => {
  it("are exactly the contract's methods and events", () => {
    expect([...methodNames].sort()).toEqual(Object.keys(apiMethods).sort());
    expect([...eventNames].sort()).toEqual(Object.keys(apiEvents).sort());
  });

  it.each(["__proto__", "constructor", "toString", "", 42, null, "getSession "])("refuse %j as a method or event", (value) => {
    expect(isMethodName(value)).toBe(false);
    expect(isEventName(value)).toBe(false);
  });
});
