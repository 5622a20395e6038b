import { describe, expect, it } from "vitest";
import { exactId, formatRow, parseConditions, rowMatches } from "./realtime-protocol";

describe("res_config_curl's wire format", () => {
  it("reads fields with and without an operator, as Asterisk encodes them", () => {
    expect(parseConditions("id=u1-abc%40127.0.0.1")).toEqual([{ field: "id", op: "=", value: "u1-abc@127.0.0.1" }]);
    expect(parseConditions("id%20LIKE=%25&max_contacts%20%3E=2")).toEqual([
      { field: "id", op: "LIKE", value: "%" },
      { field: "max_contacts", op: ">", value: "2" },
    ]);
    expect(parseConditions("")).toEqual([]);
  });

  it.each(["id%20REGEXP=x", "id%20%3D%20x=1", "1d=x", "id;drop=x"])("refuses the condition %s", (body) => {
    expect(() => parseConditions(body)).toThrow(/unsupported realtime condition/);
  });

  it("matches like SQL would: LIKE wildcards, numeric comparisons, and no match on a missing field", () => {
    const row = [["id", "u12-abcdefghij"], ["max_contacts", "3"]] as const;
    const matches = (body: string): boolean => rowMatches(row, parseConditions(body));
    expect(matches("id%20LIKE=%25")).toBe(true);
    expect(matches("id%20LIKE=u12-%25")).toBe(true);
    expect(matches("id%20LIKE=u1-%25")).toBe(false);
    expect(matches("id%20LIKE=u12_abcdefghij")).toBe(true);
    expect(matches("id%20LIKE=u12.%25")).toBe(false);
    expect(matches("max_contacts%20%3E=10")).toBe(false);
    expect(matches("max_contacts%20%3C=10")).toBe(true);
    expect(matches("max_contacts%20!%3D=3")).toBe(false);
    expect(matches("context=from-users")).toBe(false);
    expect(exactId(parseConditions("id%20LIKE=%25&id=x"))).toBe("x");
  });

  it("writes values URL-encoded, so a value holding & or = stays one value", () => {
    expect(formatRow([["id", "u1-x"], ["allow", "opus,ulaw"], ["password", "a&b=c+d/e"]])).toBe("id=u1-x&allow=opus%2Culaw&password=a%26b%3Dc%2Bd%2Fe");
  });
});
