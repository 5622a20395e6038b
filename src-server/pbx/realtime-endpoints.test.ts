import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminUser } from "../../src-shared/server-api/admin";
import type { SipConfig } from "../../src-shared/server-api/sip";
import { freeUdpPort } from "../../e2e/support/asterisk";
import { findUserByEmail } from "../db/users-repo";
import { startPbxRig, type PbxRig } from "../test-support/pbx-rig";
import { bearer, demoCredentials } from "../test-support/test-server";
import { AmiClient } from "./ami-client";
import { header } from "./ami-message";
import { originate } from "./ami-originate";
import { AmiEventLog } from "./testing/event-log";
import { startAnsweringFarEnd, type AnsweringFarEnd } from "./testing/sip-answering-far-end";
import { registerAs } from "./testing/sip-register";
import { inviteAs } from "./testing/sip-uac";

// Users' PJSIP endpoints served by the server to a real Asterisk over
// res_config_curl (sorcery realtime, behind sorcery.conf's memory caches, which
// the server empties of a retired endpoint over AMI): SIP over UDP stands in for the
// softphone's WebSocket; the digest and the lookups are the same. Calls go to
// startAsterisk's test-only `farEnd` endpoint (`trunk`), which a UDP stack here
// registers as (a JsSIP page in e2e).
const farEndUser = { name: "far-end", password: "far-end-pass-1" };
let phone: AnsweringFarEnd;
let rig: PbxRig;
let admin: string;
let sales: string;
let salesId: number;

beforeAll(async () => {
  phone = await startAnsweringFarEnd(await freeUdpPort(), () => ({ kind: "reject", code: 486, reason: "Busy Here" }));
  rig = await startPbxRig({ name: "vt-realtime", farEnd: farEndUser, trunk: farEndUser.name });
  [admin, sales] = await Promise.all([rig.server.sessionFor(demoCredentials.admin), rig.server.sessionFor(demoCredentials.sales)]);
  salesId = (await findUserByEmail(rig.server.db, demoCredentials.sales.email))!.id;
  // The server's AMI connection: what drops a retired endpoint from Asterisk's cache.
  await rig.startCalls().amiClient.waitUntilConnected(30_000);
}, 120_000);

/** The ids sorcery's memory cache `cache` holds now. */
async function cached(cache: string): Promise<string> {
  return rig.pbx.cli(`sorcery memory cache dump ${cache}`);
}

afterAll(async () => {
  await rig?.stop();
  await phone?.close();
});

async function sipConfig(token: string): Promise<SipConfig> {
  const reply = await rig.server.app.inject({ method: "GET", url: "/api/sip/config", headers: bearer(token) });
  expect(reply.statusCode, reply.body).toBe(200);
  return reply.json<SipConfig>();
}

async function setCaller(enabled: boolean): Promise<AdminUser> {
  const reply = await rig.server.app.inject({ method: "POST", url: `/api/admin/users/${salesId}/caller`, headers: bearer(admin), payload: { enabled } });
  expect(reply.statusCode, reply.body).toBe(200);
  return reply.json<AdminUser>();
}

const register = (config: SipConfig) => registerAs({ port: rig.pbx.facts.sipUdpPort, user: config.username, password: config.password });

describe("users' endpoints through realtime", () => {
  it("registers with the credentials GET /api/sip/config hands out, and refuses a wrong password", async () => {
    const config = await sipConfig(sales);
    expect(config).toMatchObject({ wsUrl: rig.pbx.facts.wsUrl, displayName: "Sora Sales", iceServers: [] });
    expect(config.username).toMatch(new RegExp(`^u${salesId}-[a-z2-7]{10}$`));
    expect(config.aor).toBe(`sip:${config.username}@127.0.0.1`);
    expect(Buffer.from(config.password, "base64url")).toHaveLength(24);
    expect(await sipConfig(sales)).toEqual(config);

    expect(await register(config)).toEqual({ status: 200, challenges: 1 });
    expect((await registerAs({ port: rig.pbx.facts.sipUdpPort, user: config.username, password: "not-the-password" })).status).toBe(401);
  });

  it("revoking makes REGISTER and INVITE with the old credentials fail at once, with no reload; a new grant issues new ones", async () => {
    const old = await sipConfig(sales);
    expect((await register(old)).status).toBe(200);
    // Cached: without the server dropping them, the next requests would be served from here.
    for (const cache of ["pjsip_endpoint", "pjsip_auth", "pjsip_aor"]) expect(await cached(cache)).toContain(old.username);

    expect(await setCaller(false)).toMatchObject({ id: salesId, callerEnabled: false });
    const [registered, invited] = await Promise.all([
      register(old),
      inviteAs({ port: rig.pbx.facts.sipUdpPort, user: old.username, password: old.password, number: "+12015550123" }),
    ]);
    expect(registered.status).toBe(401);
    expect(invited.status).toBe(401);
    const refused = await rig.server.app.inject({ method: "GET", url: "/api/sip/config", headers: bearer(sales) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ code: "forbidden", message: expect.stringMatching(/not enabled for you/) as string, reason: "caller_not_enabled", params: {} });

    await setCaller(true);
    const renewed = await sipConfig(sales);
    expect(renewed.username).not.toBe(old.username);
    expect(renewed.password).not.toBe(old.password);
    expect((await register(renewed)).status).toBe(200);
    expect((await register(old)).status).toBe(401);
  }, 20_000);

  it("a user's call goes through the server's authorize to the far end registered as the trunk", async () => {
    const contactPort = Number(/:(\d+)$/.exec(phone.address)?.[1]);
    const far = await registerAs({ port: rig.pbx.facts.sipUdpPort, user: farEndUser.name, password: farEndUser.password, contactPort });
    expect(far).toEqual({ status: 200, challenges: 1 });
    expect(await rig.pbx.cli(`pjsip show endpoint ${farEndUser.name}`)).toMatch(/context\s*:\s*from-trunk/);

    const { username } = await sipConfig(sales);
    const { amiHost, amiPort, amiUser, amiSecret } = rig.pbx.facts;
    const ami = new AmiClient({ host: amiHost, port: amiPort, username: amiUser, secret: amiSecret });
    const log = new AmiEventLog(ami);
    await ami.connect();
    try {
      const reply = await originate(ami, { channel: "Local/+12015550123@from-users", application: "Wait", data: "1", variables: { CALLER_ENDPOINT: username } });
      await log.waitFor("OriginateResponse", { actionid: header(reply, "actionid") ?? "" }, 15_000);
      await expect.poll(() => phone.calls.map((c) => [c.requestUri.split(";")[0], c.from.split(";")[0]]), { timeout: 5_000 }).toEqual([
        [expect.stringMatching(/^sip:\+12015550123@127\.0\.0\.1:\d+$/), expect.stringContaining("sip:+819012345678@")],
      ]);
      expect(log.matching("DialBegin", { dialstring: "+12015550123@far-end" })).toHaveLength(1);
    } finally {
      ami.close();
    }
  }, 25_000);

  it("survive `core restart now`: Asterisk asks the server again and the same credentials register", async () => {
    const config = await sipConfig(sales);
    await rig.pbx.cli("core restart now").catch(() => "the CLI connection may close first");
    const registerAfterRestart = async (): Promise<number> => {
      try {
        return (await registerAs({ port: rig.pbx.facts.sipUdpPort, user: config.username, password: config.password, timeoutMs: 1_000 })).status;
      } catch {
        return 0;
      }
    };
    await expect.poll(registerAfterRestart, { timeout: 25_000, interval: 300 }).toBe(200);
    expect(await rig.pbx.cli("core show uptime")).toMatch(/System uptime: \d+ seconds?/);
  }, 40_000);

  // Last: it stops the server. A registered user keeps working from the cache for a while
  // (object_lifetime_stale, 60 s, then their first request drops it); a user the cache does
  // not hold is refused, as before the cache.
  it("with the server stopped, an endpoint in the cache still registers and one not in it is refused", async () => {
    const config = await sipConfig(sales);
    // Fresh in the cache: an entry older than object_lifetime_stale would be served once and
    // re-read in the background, and a re-read that lands after the server stops drops it.
    for (const cache of ["pjsip_endpoint", "pjsip_auth", "pjsip_aor"]) await rig.pbx.cli(`sorcery memory cache expire ${cache} ${config.username}`);
    expect((await register(config)).status).toBe(200);
    for (const cache of ["pjsip_endpoint", "pjsip_auth", "pjsip_aor"]) expect(await cached(cache)).toContain(config.username);
    const adminConfig = await sipConfig(admin);
    expect(await cached("pjsip_endpoint")).not.toContain(adminConfig.username);
    await rig.server.app.close();
    expect((await register(config)).status).toBe(200);
    expect((await registerAs({ port: rig.pbx.facts.sipUdpPort, user: adminConfig.username, password: adminConfig.password })).status).toBe(401);
  }, 30_000);
});
