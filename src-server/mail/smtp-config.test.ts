import { describe, expect, it } from "vitest";
import { parseCliOptions } from "../cli-options";
import { smtpOptionsFrom } from "./smtp-config";

describe("SMTP configuration", () => {
  it("reads --smtp host:port before CALLER_SMTP_URL", () => {
    expect(smtpOptionsFrom(["--smtp", "127.0.0.1:2525"], { CALLER_SMTP_URL: "smtp://mail.example:25" })).toMatchObject({ host: "127.0.0.1", port: 2525, secure: false });
    expect(smtpOptionsFrom(["--smtp=127.0.0.1:2526"], {})).toMatchObject({ port: 2526 });
  });

  it("reads credentials, TLS and the From address from CALLER_SMTP_URL", () => {
    expect(smtpOptionsFrom([], { CALLER_SMTP_URL: "smtps://bot:p%40ss@mail.example?from=Caller%20%3Cbot%40mail.example%3E" })).toEqual({
      host: "mail.example",
      port: 465,
      secure: true,
      from: "Caller <bot@mail.example>",
      auth: { user: "bot", pass: "p@ss" },
    });
  });

  it("is off when unset, and refuses what is not SMTP", () => {
    expect(smtpOptionsFrom([], {})).toBeNull();
    expect(() => smtpOptionsFrom([], { CALLER_SMTP_URL: "http://mail.example" })).toThrow(/smtp/);
  });

  it("is a flag the server's option parser accepts", () => {
    expect(parseCliOptions(["--port", "0", "--smtp", "127.0.0.1:25", "--recordings-dir", "/tmp/r", "--seed-demo"], {}).port).toBe(0);
  });
});
