import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeUdpPort } from "../../e2e/support/asterisk";
import type { SipConfig } from "../../src-shared/server-api/sip";
import { defaultEventMask } from "../calls/calls-service";
import { startPbxRig, type PbxRig } from "../test-support/pbx-rig";
import { bearer, demoCredentials } from "../test-support/test-server";
import { AmiClient } from "./ami-client";
import { originate } from "./ami-originate";
import { SipBanAcl } from "./sip-ban-acl";
import { SipBanWatch, sipBanEventClass, type SipBanSettings } from "./sip-ban-watch";
import { banSipAddress, liftSipBan, listSipBans, type SipBan } from "./sip-bans";
import { startAnsweringFarEnd, type AnsweringFarEnd } from "./testing/sip-answering-far-end";
import { registerAs, type RegisterResult } from "./testing/sip-register";

// A SIP password guesser against a real Asterisk: its failures reach the server as AMI
// security events, the ban lands in the database, the server writes it into Asterisk's
// acl.conf over AMI and reloads the named ACL, and Asterisk itself refuses the source.
// Attackers send from 127.0.0.2 and up: 127.0.0.1 is the whole suite's address, and exempt besides.
const settings: SipBanSettings = { maxFailures: 5, windowMs: 60_000, banMs: 6_000, exempt: ["127.0.0.1", "::1"] };
const talkMs = 10_000;
let rig: PbxRig;
let ami: AmiClient;
let acl: SipBanAcl;
let farEnd: AnsweringFarEnd;
let sip: SipConfig;
const problems: string[] = [];

beforeAll(async () => {
  const testTrunk = await freeUdpPort();
  farEnd = await startAnsweringFarEnd(testTrunk, () => ({ kind: "answer", ringMs: 200, hangUpAfterMs: talkMs }));
  rig = await startPbxRig({ name: "vt-sipbans", ports: { testTrunk } });
  const token = await rig.server.sessionFor(demoCredentials.sales);
  sip = (await rig.server.app.inject({ method: "GET", url: "/api/sip/config", headers: bearer(token) })).json<SipConfig>();
  const { amiHost, amiPort, amiUser, amiSecret } = rig.pbx.facts;
  ami = new AmiClient({ host: amiHost, port: amiPort, username: amiUser, secret: amiSecret, backoff: { initialMs: 100, maxMs: 1_000, factor: 2 } });
  // As the shipped server's session: the calls service's classes plus security.
  ami.on("state", (next) => {
    if (next === "connected") void ami.action({ Action: "Events", EventMask: `${defaultEventMask},${sipBanEventClass}` });
  });
  const log = { warn: () => {}, error: (details: object, message: string) => problems.push(`${message} ${JSON.stringify(details)}`) };
  acl = new SipBanAcl({ db: rig.server.db, now: Date.now, log: { ...log, info: () => {} } });
  acl.attach(ami);
  new SipBanWatch({ db: rig.server.db, settings, now: Date.now, log, onBan: () => acl.nudge() }).attach(ami);
  acl.start();
  await ami.connect();
  await ami.action({ Action: "Events", EventMask: `${defaultEventMask},${sipBanEventClass}` });
}, 120_000);

afterAll(async () => {
  await acl?.close();
  ami?.close();
  await rig?.stop();
  await farEnd?.close();
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
    // A REGISTER challenged just before the ban landed gets its 403 after the challenge: the next one is refused unchallenged.
    if (result.status === status && result.challenges === (status === 403 ? 0 : 1)) return Date.now() - since;
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

  it("a ban applied while a call is up and a user is registered leaves both alone", async () => {
    const port = rig.pbx.facts.sipUdpPort;
    expect(await registerAs({ port, user: sip.username, password: sip.password, expires: 600, timeoutMs: 3_000 })).toEqual({ status: 200, challenges: 1 });
    await originate(ami, {
      channel: "Local/+12015550141@from-users",
      application: "Wait",
      data: "60",
      ringTimeoutMs: 15_000,
      variables: { CALLER_ENDPOINT: sip.username, CALLER_CLIENT_CALL_ID: randomUUID() },
    });
    await expect.poll(() => farEnd.calls.at(-1)?.answeredAt ?? null, { timeout: 10_000, interval: 50 }).not.toBeNull();
    const call = farEnd.calls.at(-1)!;

    await guess("127.0.0.6", settings.maxFailures);
    const ban = await banOf("127.0.0.6");
    await until("127.0.0.6", 403, ban.bannedAt);
    // The ACL was rewritten and reloaded during the call: Asterisk did not end it, and the
    // far end's own BYE ends it after its whole talk time.
    expect(call.endedAt).toBeNull();
    await expect.poll(() => call.endedBy, { timeout: talkMs + 10_000, interval: 100 }).toBe("far");
    expect(call.endedAt! - call.answeredAt!).toBeGreaterThanOrEqual(talkMs);
    // The registration made before the ban is still there (contacts live in astdb, which no ACL reload touches).
    expect(await rig.pbx.cli("pjsip show contacts")).toContain(sip.username);
    // What does not apply an ACL change, as Asterisk 22 says itself: res_pjsip_acl has no reload of its own.
    expect(await rig.pbx.cli("module reload res_pjsip_acl.so")).toMatch(/does not support reloads/);
    expect(problems).toEqual([]);
  }, 60_000);

  it("an Asterisk started again from its template (an empty ban list) gets the bans in force back when its AMI reconnects", async () => {
    const now = Date.now();
    await banSipAddress(rig.server.db, { address: "127.0.0.7", failures: settings.maxFailures, firstFailureAt: now, now, durationMs: 120_000 });
    acl.nudge();
    await until("127.0.0.7", 403, now);
    await rig.killAsterisk();
    await rig.restartAsterisk();
    const upAt = Date.now();
    const refusedAfter = await until("127.0.0.7", 403, upAt);
    console.info(`Asterisk up again (pbx.sh up) → the ban in force applied again: ${refusedAfter} ms`);
    expect(refusedAfter).toBeLessThan(5_000);
    // Asterisk's own view: the named ACL holds the address, as the server wrote it into acl.conf.
    expect(await rig.pbx.cli("acl show sip-bans")).toMatch(/127\.0\.0\.7/);
    expect(await liftSipBan(rig.server.db, "127.0.0.7", "operator@example.com")).toBe(1);
    await until("127.0.0.7", 200, Date.now());
    expect(problems.filter((problem) => !/not updated/.test(problem))).toEqual([]);
  }, 60_000);
});
