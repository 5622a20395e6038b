import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteTestDb, type TestDb } from "../test-support/test-db";
import type { AmiEvent } from "./ami-message";
import { defaultSipBanSettings, failedSource, SipBanWatch, sipBanSettingsFrom, type SipBanSettings } from "./sip-ban-watch";
import { denyRule } from "./sip-ban-acl";
import { listSipBans } from "./sip-bans";

const event = (name: string, remote: string): AmiEvent => ({ event: name, service: "PJSIP", remoteaddress: remote, accountid: "u1-abcdefghij" });

describe("failed authentications as Asterisk reports them", () => {
  it("reads the source address of ChallengeResponseFailed and InvalidPassword, and nothing else", () => {
    expect(failedSource(event("ChallengeResponseFailed", "IPV4/UDP/203.0.113.7/5060"))).toBe("203.0.113.7");
    expect(failedSource(event("InvalidPassword", "IPV4/TCP/127.0.0.2/40112"))).toBe("127.0.0.2");
    expect(failedSource(event("ChallengeResponseFailed", "IPV6/UDP/2001:DB8::1/5060"))).toBe("2001:db8::1");
    expect(failedSource(event("ChallengeSent", "IPV4/UDP/203.0.113.7/5060"))).toBeNull();
    expect(failedSource(event("SuccessfulAuth", "IPV4/UDP/203.0.113.7/5060"))).toBeNull();
    expect(failedSource(event("ChallengeResponseFailed", "garbage"))).toBeNull();
    expect(failedSource(event("ChallengeResponseFailed", "IPV4/UDP/not-an-ip/5060"))).toBeNull();
  });
});

describe("ban settings from the environment", () => {
  it("default to 10 failures in 60 s banning for 15 minutes, loopback exempt", () => {
    expect(sipBanSettingsFrom({})).toEqual({ maxFailures: 10, windowMs: 60_000, banMs: 900_000, exempt: ["127.0.0.1", "::1"] });
    expect(
      sipBanSettingsFrom({ CALLER_SIP_BAN_FAILURES: "5", CALLER_SIP_BAN_WINDOW_SECONDS: "30", CALLER_SIP_BAN_SECONDS: "3600", CALLER_SIP_BAN_EXEMPT: "10.0.0.5, ::1" }),
    ).toEqual({ maxFailures: 5, windowMs: 30_000, banMs: 3_600_000, exempt: ["10.0.0.5", "::1"] });
    expect(sipBanSettingsFrom({ CALLER_SIP_BAN_EXEMPT: "" }).exempt).toEqual([]);
  });

  it.each([
    [{ CALLER_SIP_BAN_FAILURES: "0" }, /CALLER_SIP_BAN_FAILURES must be a whole number from 1/],
    [{ CALLER_SIP_BAN_SECONDS: "15m" }, /CALLER_SIP_BAN_SECONDS must be a whole number/],
    [{ CALLER_SIP_BAN_WINDOW_SECONDS: "-1" }, /CALLER_SIP_BAN_WINDOW_SECONDS/],
    [{ CALLER_SIP_BAN_EXEMPT: "127.0.0.1,localhost" }, /CALLER_SIP_BAN_EXEMPT holds "localhost", not an IP address/],
  ])("refuses %o with a clear error", (env, message) => {
    expect(() => sipBanSettingsFrom(env)).toThrow(message);
  });
});

describe("the ban watch", () => {
  let handle: TestDb;
  let clock: { now: number };
  const warnings: string[] = [];
  const settings: SipBanSettings = { ...defaultSipBanSettings, maxFailures: 3, windowMs: 10_000, banMs: 60_000 };
  const banned: number[] = [];
  const watch = () =>
    new SipBanWatch({ db: handle.db, settings, now: () => clock.now, log: { warn: (_d, m) => warnings.push(m), error: (_d, m) => warnings.push(m) }, onBan: (ban) => banned.push(ban.id) });

  beforeEach(async () => {
    handle = await openSqliteTestDb();
    clock = { now: Date.UTC(2026, 11, 6) };
  });
  afterEach(async () => {
    await handle.close();
  });

  it("bans an address at its Nth failure within the window, once, with a warning", async () => {
    const w = watch();
    expect(await w.failed("203.0.113.7")).toBeNull();
    clock.now += 1_000;
    expect(await w.failed("203.0.113.7")).toBeNull();
    expect(await w.failed("198.51.100.1")).toBeNull();
    clock.now += 1_000;
    const ban = await w.failed("203.0.113.7");
    expect(ban).toMatchObject({ address: "203.0.113.7", failures: 3, firstFailureAt: clock.now - 2_000, bannedAt: clock.now, bannedUntil: clock.now + 60_000 });
    expect(denyRule(ban!.address)).toBe("203.0.113.7/32");
    expect(await w.failed("203.0.113.7")).toBeNull();
    expect(banned).toEqual([ban!.id]);
    expect((await listSipBans(handle.db, { now: clock.now })).map((b) => b.address)).toEqual(["203.0.113.7"]);
    expect(warnings).toEqual(["sip bans: address banned after failed authentications"]);
  });

  it("forgets failures older than the window, and never bans an exempt address", async () => {
    const w = watch();
    await w.failed("203.0.113.7");
    await w.failed("203.0.113.7");
    clock.now += 10_001;
    expect(await w.failed("203.0.113.7")).toBeNull();
    for (let i = 0; i < 10; i++) expect(await w.failed("127.0.0.1")).toBeNull();
    expect(await listSipBans(handle.db, { now: clock.now, history: true })).toEqual([]);
  });

  it("counts the failures of the events it hears on the AMI connection", async () => {
    const w = watch();
    const listeners: ((e: AmiEvent) => void)[] = [];
    w.attach({ on: (_name, listener) => listeners.push(listener) });
    for (let i = 0; i < 3; i++) for (const listener of listeners) listener(event("ChallengeResponseFailed", "IPV4/UDP/192.0.2.9/5060"));
    for (const listener of listeners) listener(event("ChallengeSent", "IPV4/UDP/192.0.2.10/5060"));
    await expect.poll(async () => (await listSipBans(handle.db, { now: clock.now })).map((b) => b.address)).toEqual(["192.0.2.9"]);
  });
});
