import { describe, expect, it } from "vitest";
import { classifyLookup, describeLookup, formatRow, parseConditions } from "./realtime-protocol";

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

  it("knows the look-ups Asterisk makes: one object by exact id, or a whole family with id LIKE %", () => {
    const lookup = (op: string, body: string) => classifyLookup(op, parseConditions(body));
    expect(lookup("single", "id=u12-abcdefghij")).toEqual({ kind: "by-id", id: "u12-abcdefghij" });
    expect(lookup("multi", "id%20LIKE=%25")).toEqual({ kind: "all" });
    expect(lookup("single", "id%20LIKE=%25")).toEqual({ kind: "other" });
    expect(lookup("multi", "id=u12-abcdefghij")).toEqual({ kind: "other" });
    expect(lookup("multi", "id%20LIKE=u12-%25")).toEqual({ kind: "other" });
    expect(lookup("single", "id=")).toEqual({ kind: "other" });
    expect(lookup("single", "id=x&context=from-users")).toEqual({ kind: "other" });
    expect(lookup("single", "username=u12-abcdefghij")).toEqual({ kind: "other" });
    expect(lookup("single", "")).toEqual({ kind: "other" });
    expect(lookup("store", "id=x")).toEqual({ kind: "other" });
  });

  it("describes a look-up by its fields and operators only, never a value", () => {
    expect(describeLookup("ps_auths", "multi", "id%20LIKE=%25&password=hunter2")).toBe("ps_auths/multi id LIKE & password =");
    expect(describeLookup("ps_auths", "multi", "id%20REGEXP=hunter2")).toBe("ps_auths/multi (unreadable conditions)");
  });

  it("writes values URL-encoded, so a value holding & or = stays one value", () => {
    expect(formatRow([["id", "u1-x"], ["allow", "opus,ulaw"], ["password", "a&b=c+d/e"]])).toBe("id=u1-x&allow=opus%2Culaw&password=a%26b%3Dc%2Bd%2Fe");
  });
});
