import { describe, expect, it } from "vitest";
import { parseCliArgs, UsageError } from "./cli-args";

const parse = (...argv: string[]) => parseCliArgs(argv, {});

describe("the operator CLI's arguments", () => {
  it("reads each command with its options, the database as the server does", () => {
    expect(parse("--db", "/srv/caller.sqlite", "tariff", "import", "rates.csv", "--accept-valid-rows")).toEqual({
      database: { kind: "sqlite", file: "/srv/caller.sqlite" },
      json: false,
      command: { kind: "tariff-import", file: "rates.csv", acceptValidRows: true },
    });
    expect(parseCliArgs(["--json", "companies"], { DATABASE_URL: "postgres://db/caller" })).toMatchObject({ database: { kind: "postgres", url: "postgres://db/caller" }, json: true });
    expect(parse("blocks", "add", "+4470", "--company", "7", "--allow", "--note", " London ").command).toEqual({ kind: "blocks-add", prefix: "+4470", companyId: 7, action: "allow", note: "London" });
    expect(parse("blocks", "add", "+881").command).toMatchObject({ companyId: null, action: "block" });
    expect(parse("invoice-limit", "set", "3", "12.50").command).toEqual({ kind: "invoice-limit", companyId: 3, limitMicros: 12_500_000 });
    expect(parse("invoice-limit", "set", "3", "default").command).toEqual({ kind: "invoice-limit", companyId: 3, limitMicros: null });
    expect(parse("approvals", "decline", "12", "--note", "unpaid").command).toEqual({ kind: "approvals-decide", decision: "decline", requestId: 12, note: "unpaid" });
    expect(parse("create-operator", "--email", "ops@example.com", "--name", "Ops").command).toEqual({ kind: "create-operator", email: "ops@example.com", name: "Ops" });
  });

  it("never takes a password from the command line", () => {
    for (const argv of [["create-operator", "--email", "a@b.c", "--name", "A", "--password", "secret"], ["set-password", "--email", "a@b.c", "--password=secret"]]) {
      expect(() => parse(...argv)).toThrow(/never taken from the command line/);
    }
  });

  it("refuses unknown commands, missing and extra arguments and bad values with a clear message", () => {
    expect(() => parse()).toThrow(UsageError);
    expect(() => parse("tariff", "delete", "1")).toThrow(/Unknown command: tariff delete/);
    expect(() => parse("tariff", "import")).toThrow(/FILE is required/);
    expect(() => parse("tariff", "restore", "one")).toThrow(/VERSION must be a positive whole number/);
    expect(() => parse("companies", "extra")).toThrow(/unexpected "extra"/);
    expect(() => parse("blocks", "add", "4470")).toThrow(/a \+ and 1–15 digits/);
    expect(() => parse("invoice-limit", "set", "3", "five")).toThrow(/US dollars/);
    expect(() => parse("invoice-limit", "set", "3", "-5")).toThrow(UsageError);
    expect(() => parse("approvals", "approve", "1", "--bogus")).toThrow(UsageError);
  });
});
