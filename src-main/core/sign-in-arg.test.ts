import { describe, expect, it } from "vitest";
import { parseSignInArg } from "./sign-in-arg";

describe("parseSignInArg", () => {
  it("splits at the first colon, so passwords may contain colons", () => {
    expect(parseSignInArg("admin@demo.example:pa:ss")).toEqual({ email: "admin@demo.example", password: "pa:ss" });
  });
  it("is nothing when unset", () => {
    expect(parseSignInArg(undefined)).toBeNull();
  });
  it.each(["admin@demo.example", ":password", "admin@demo.example:"])("refuses %j with a message", (value) => {
    expect(() => parseSignInArg(value)).toThrow("EMAIL:PASSWORD");
  });
});
