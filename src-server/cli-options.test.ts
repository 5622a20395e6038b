import { describe, expect, it } from "vitest";
import { defaultDbFile, parseCliOptions } from "./cli-options";

describe("server command line", () => {
  it("defaults to 127.0.0.1:4300 and a SQLite file", () => {
    expect(parseCliOptions([], {})).toEqual({ port: 4300, host: "127.0.0.1", database: { kind: "sqlite", file: defaultDbFile }, seedDemo: false });
  });

  it("takes port 0, a host, a database file and --seed-demo", () => {
    expect(parseCliOptions(["--port", "0", "--host", "::1", "--db", "/tmp/x.sqlite", "--seed-demo"], {})).toEqual({
      port: 0,
      host: "::1",
      database: { kind: "sqlite", file: "/tmp/x.sqlite" },
      seedDemo: true,
    });
  });

  it("uses PostgreSQL when DATABASE_URL is set and no --db is given", () => {
    const env = { DATABASE_URL: "postgres://u@127.0.0.1:5432/caller" };
    expect(parseCliOptions([], env).database).toEqual({ kind: "postgres", url: env.DATABASE_URL });
    expect(parseCliOptions(["--db", "a.sqlite"], env).database).toEqual({ kind: "sqlite", file: "a.sqlite" });
  });

  it.each([
    [["--port", "65536"], {}, /--port/],
    [["--port", "http"], {}, /--port/],
    [["--port=-1"], {}, /--port/],
    [["--verbose"], {}, /Unknown option/],
    [[], { DATABASE_URL: "mysql://x" }, /DATABASE_URL/],
  ])("refuses %j %j with a message naming the problem", (argv, env, message) => {
    expect(() => parseCliOptions(argv, env)).toThrow(message);
  });
});
