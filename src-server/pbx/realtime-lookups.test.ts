import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SipConfig } from "../../src-shared/server-api/sip";
import { freeTcpPort, freeUdpPort, startAsterisk, type PbxInstance } from "../../e2e/support/asterisk";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";
import type { PbxServerConfig } from "./pbx-server-config";
import { startAnsweringFarEnd, type AnsweringFarEnd } from "./testing/sip-answering-far-end";
import { registerAs } from "./testing/sip-register";
import { inviteAs } from "./testing/sip-uac";

// What a real Asterisk 22 asks the realtime routes, recorded at start, on REGISTER
// (right and wrong password, unknown user), INVITE, qualify, unregister and restart;
// pbx-config/README.md lists the same. The server answers users' objects only by exact
// id: Asterisk's whole-family lists at start get nothing, and registration and calls
// still work. A user's objects are asked once, then come from Asterisk's memory cache
// (sorcery.conf) until a restart empties it.
interface Lookup {
  phase: string;
  shape: string;
  answered: boolean;
}

const secret = randomBytes(24).toString("hex");
let server: TestServer;
let pbx: PbxInstance;
let trunk: AnsweringFarEnd;
let sip: SipConfig;
const lookups: Lookup[] = [];
let phase = "start";

/** A look-up with the values that vary replaced by what they stand for. */
function shapeOf(family: string, op: string, body: string): string {
  const text = decodeURIComponent(body.replace(/\+/g, " "))
    .replaceAll(sip.username, "<id>")
    .replace(/u9-abcdefghij/g, "<unknown>")
    .replace(/\+12015550123@test-trunk/, "<number>@<trunk>")
    .replace(/@(127\.0\.0\.1|asterisk)$/, "@<domain>");
  return `${family}/${op} ${text}`;
}

beforeAll(async () => {
  const http = await freeTcpPort();
  const testTrunk = await freeUdpPort();
  trunk = await startAnsweringFarEnd(testTrunk, () => ({ kind: "answer", ringMs: 0, hangUpAfterMs: 300 }));
  const config: PbxServerConfig = { secret, wsUrl: `ws://127.0.0.1:${http}/ws`, sipDomain: "127.0.0.1", iceServers: [], ami: null, cdrStore: null };
  server = await startTestServer({
    pbx: config,
    listen: true,
    realClock: true,
    beforeReady: (app) => {
      app.addHook("onSend", async (request, _reply, payload) => {
        const match = /^\/pbx\/realtime\/([^/]+)\/([^/?]+)$/.exec(request.url);
        if (match) lookups.push({ phase, shape: shapeOf(match[1]!, match[2]!, typeof request.body === "string" ? request.body : ""), answered: payload !== "" });
        return payload;
      });
    },
  });
  sip = (await server.app.inject({ method: "GET", url: "/api/sip/config", headers: bearer(await server.sessionFor(demoCredentials.sales)) })).json<SipConfig>();
  pbx = await startAsterisk({ instance: `vt-rtlookups-${process.pid}`, serverUrl: server.url ?? "", authorizeSecret: secret, ports: { http, testTrunk } });
}, 120_000);

afterAll(async () => {
  await pbx?.stop({ purge: true });
  await server?.close();
  await trunk?.close();
});

const register = (password = sip.password, expires = 60) => registerAs({ port: pbx.facts.sipUdpPort, user: sip.username, password, expires });
const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000));

describe("the realtime look-ups Asterisk 22 makes", () => {
  it("are the documented ones; registration, calls and a restart work with users' objects served by exact id only", async () => {
    await settle();
    phase = "register";
    expect(await register()).toEqual({ status: 200, challenges: 1 });
    phase = "wrong password";
    expect((await register("not-the-password")).status).toBe(401);
    phase = "unknown user";
    expect((await registerAs({ port: pbx.facts.sipUdpPort, user: "u9-abcdefghij", password: "nope-nope" })).status).toBe(401);
    phase = "invite";
    expect(await inviteAs({ port: pbx.facts.sipUdpPort, user: sip.username, password: sip.password, number: "+12015550123" })).toMatchObject({ status: 200 });
    await expect.poll(() => trunk.calls.filter((call) => call.endedAt !== null).length, { timeout: 5_000 }).toBe(1);
    phase = "qualify";
    expect(await pbx.cli(`pjsip qualify ${sip.username}`)).toMatch(/Qualifying AOR/);
    await settle();
    phase = "unregister";
    expect(await register(sip.password, 0)).toEqual({ status: 200, challenges: 1 });
    phase = "restart";
    await pbx.cli("core restart now").catch(() => "the CLI connection may close first");
    phase = "register after restart";
    const registered = async (): Promise<number> => (await register().catch(() => ({ status: 0 }))).status;
    await expect.poll(registered, { timeout: 25_000, interval: 300 }).toBe(200);
    await settle();

    const documented = new Map([
      ["ps_endpoints/single id=<id>", true],
      ["ps_auths/single id=<id>", true],
      ["ps_aors/single id=<id>", true],
      // No user@domain look-ups (pjsip.conf: disable_multi_domain): a miss is never cached.
      ["ps_endpoints/single id=<unknown>", false],
      // Dial(PJSIP/<number>@<trunk>) looks for an endpoint of that whole name first.
      ["ps_endpoints/single id=<number>@<trunk>", false],
      // At start: every endpoint (device state) and every aor (qualify). Refused.
      ["ps_endpoints/multi id LIKE=%", false],
      ["ps_aors/multi id LIKE=%", false],
    ]);
    const seen = [...new Set(lookups.map((lookup) => lookup.shape))];
    expect(seen.filter((shape) => !documented.has(shape))).toEqual([]);
    for (const lookup of lookups) expect([lookup.shape, lookup.answered]).toEqual([lookup.shape, documented.get(lookup.shape)]);
    expect(lookups.filter((l) => l.phase === "start" || l.phase === "register after restart").map((l) => l.shape)).toEqual(
      expect.arrayContaining(["ps_endpoints/multi id LIKE=%", "ps_aors/multi id LIKE=%"]),
    );
    expect(lookups.filter((l) => l.phase === "register").map((l) => l.shape)).toEqual(
      expect.arrayContaining(["ps_endpoints/single id=<id>", "ps_auths/single id=<id>", "ps_aors/single id=<id>"]),
    );
    // Cached from the first REGISTER on: the user's later requests ask the server nothing.
    expect(lookups.filter((l) => ["wrong password", "invite", "qualify", "unregister"].includes(l.phase) && l.shape.endsWith("id=<id>"))).toEqual([]);
    expect(seen.filter((shape) => shape.startsWith("ps_auths/multi"))).toEqual([]);
  }, 90_000);
});
