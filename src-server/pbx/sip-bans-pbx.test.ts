import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SipConfig } from "../../src-shared/server-api/sip";
import { defaultEventMask } from "../calls/calls-service";
import { startPbxRig, type PbxRig } from "../test-support/pbx-rig";
import { bearer, demoCredentials } from "../test-support/test-server";
import { AmiClient } from "./ami-client";
import { SipBanWatch, sipBanEventClass, type SipBanSettings } from "./sip-ban-watch";
import { liftSipBan, listSipBans, type SipBan } from "./sip-bans";
import { registerAs, type RegisterResult } from "./testing/sip-register";

// A SIP password guesser against a real Asterisk: its failures reach the server as AMI
// security events, the ban lands in the database, and Asterisk itself refuses the
// source through the ACL the server serves it. Attackers send from 127.0.0.2 and up:
// 127.0.0.1 is the whole suite's address, and exempt besides.
const settings: SipBanSettings = { maxFailures: 5, windowMs: 60_000, banMs: 6_000, exempt: ["127.0.0.1", "::1"] };
let rig: PbxRig;
let ami: AmiClient;
let sip: SipConfig;
const problems: string[] = [];

beforeAll(async () => {
  rig = await startPbxRig({ name: "vt-sipbans" });
  const token = await rig.server.sessionFor(demoCredentials.sales);
  sip = (await rig.server.app.inject({ method: "GET", url: "/api/sip/config", headers: bearer(token) })).json<SipConfig>();
  const { amiHost, amiPort, amiUser, amiSecret } = rig.pbx.facts;
  ami = new AmiClient({ host: amiHost, port: amiPort, username: amiUser, secret: amiSecret });
  // As the shipped server's session: the calls service's classes plus security.
  ami.on("state", (next) => {
    if (next === "connected") void ami.action({ Action: "Events", EventMask: `${defaultEventMask},${sipBanEventClass}` });
  });
  const log = { warn: () => {}, error: (details: object, message: string) => problems.push(`${message} ${JSON.stringify(details)}`) };
  new SipBanWatch({ db: rig.server.db, settings, now: Date.now, log }).attach(ami);
  await ami.connect();
  await ami.action({ Action: "Events", EventMask: `${defaultEventMask},${sipBanEventClass}` });
}, 120_000);

afterAll(async () => {
  ami?.close();
  await rig?.stop();
});

const register = (from: string, password = sip.password): Promise<RegisterResult> =>
  registerAs({ port: rig.pbx.facts.sipUdpPort, user: sip.username, password, localAddress: from, expires: 0, timeoutMs: 3_000 });

async function guess(from: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) expect(await register(from, `guess-${i}-wrong`)).toEqual({ status: 401, challenges: 1 });
}

async function banOf(address: string): Promise<SipBan> {
  await expect.poll(async () => (await listSipBans(rig.server.db)).map((ban) => ban.address), { timeout: 5_000, interval: 50 }).toContain(address);
  return (await listSipBans(rig.server.db)).find((ban) => ban.address === address)!;
}

/** Registers from `from` until the answer is `status`; the time it took from `since`. */
async function until(from: string, status: number, since: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const result = await register(from).catch(() => ({ status: 0, challenges: 0 }));
    if (result.status === status) {
      expect(result.challenges).toBe(status === 403 ? 0 : 1);
      return Date.now() - since;
    }
    if (Date.now() > deadline) throw new Error(`REGISTER from ${from} still answered ${result.status}, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("SIP bans against a real Asterisk", () => {
  it("bans a source after repeated wrong passwords: Asterisk answers it 403 unchallenged, others still register; lifting lets it back", async () => {
    await guess("127.0.0.2", settings.maxFailures - 1);
    expect(await listSipBans(rig.server.db)).toEqual([]);
    expect(await register("127.0.0.2")).toEqual({ status: 200, challenges: 1 });

    await guess("127.0.0.2", 1);
    const ban = await banOf("127.0.0.2");
    expect(ban).toMatchObject({ failures: settings.maxFailures, liftedBy: null });
    expect(ban.bannedUntil - ban.bannedAt).toBe(settings.banMs);
    const refusedAfter = await until("127.0.0.2", 403, ban.bannedAt);
    console.info(`ban written → Asterisk refuses the source: ${refusedAfter} ms`);
    expect(refusedAfter).toBeLessThan(3_000);
    expect(await register("127.0.0.3")).toEqual({ status: 200, challenges: 1 });
    expect(await register("127.0.0.1")).toEqual({ status: 200, challenges: 1 });

    const liftedAt = Date.now();
    expect(await liftSipBan(rig.server.db, "127.0.0.2", "operator@example.com")).toBe(1);
    expect(await listSipBans(rig.server.db)).toEqual([]);
    expect((await listSipBans(rig.server.db, { history: true }))[0]).toMatchObject({ address: "127.0.0.2", liftedBy: "operator@example.com" });
    const backAfter = await until("127.0.0.2", 200, liftedAt);
    console.info(`ban lifted → the source registers again: ${backAfter} ms`);
    expect(backAfter).toBeLessThan(3_000);
    expect(problems).toEqual([]);
  }, 40_000);

  it("a ban ends by itself when it expires, and 127.0.0.1 is never banned", async () => {
    await guess("127.0.0.1", settings.maxFailures + 1);
    await guess("127.0.0.4", settings.maxFailures);
    const ban = await banOf("127.0.0.4");
    await until("127.0.0.4", 403, ban.bannedAt);
    expect(await register("127.0.0.1")).toEqual({ status: 200, challenges: 1 });
    expect((await listSipBans(rig.server.db, { history: true })).map((b) => b.address)).not.toContain("127.0.0.1");

    const backAfter = await until("127.0.0.4", 200, ban.bannedUntil);
    console.info(`ban expired → the source registers again: ${backAfter} ms after its end`);
    expect(backAfter).toBeLessThan(3_000);
    expect(await listSipBans(rig.server.db)).toEqual([]);
  }, 40_000);
});
