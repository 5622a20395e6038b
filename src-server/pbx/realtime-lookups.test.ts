import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SipConfig } from "../../src-shared/server-api/sip";
import { freeTcpPort, freeUdpPort, startAsterisk, type PbxInstance } from "../../e2e/support/asterisk";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";
import type { PbxServerConfig } from "./pbx-server-config";
import { startAnsweringFarEnd, type AnsweringFarEnd } from "./testing/sip-answering-far-end";
import { registerAs } from "./testing/sip-register";
import { inviteAs } from "./testing/sip-uac";

const secret = randomBytes(24).toString("hex");
let server: TestServer;
let pbx: PbxInstance;
let trunk: AnsweringFarEnd;
let sip: SipConfig;
const seen: { phase: string; family: string; op: string; body: string; answer: string }[] = [];
let phase = "start";

beforeAll(async () => {
  const http = await freeTcpPort();
  const testTrunk = await freeUdpPort();
  trunk = await startAnsweringFarEnd(testTrunk, () => ({ kind: "answer", ringMs: 0, hangUpAfterMs: 500 }));
  const config: PbxServerConfig = { secret, wsUrl: `ws://127.0.0.1:${http}/ws`, sipDomain: "127.0.0.1", iceServers: [], ami: null, cdrStore: null };
  server = await startTestServer({
    pbx: config,
    listen: true,
    realClock: true,
    beforeReady: (app) => {
      app.addHook("onSend", async (request, _reply, payload) => {
        const match = /^\/pbx\/realtime\/([^/]+)\/([^/?]+)/.exec(request.url);
        if (match) seen.push({ phase, family: match[1]!, op: match[2]!, body: typeof request.body === "string" ? request.body : "", answer: typeof payload === "string" ? payload.slice(0, 60) : "" });
        return payload;
      });
    },
  });
  const token = await server.sessionFor(demoCredentials.sales);
  sip = (await server.app.inject({ method: "GET", url: "/api/sip/config", headers: bearer(token) })).json<SipConfig>();
  pbx = await startAsterisk({ instance: `vt-rtlook-${process.pid}`, serverUrl: server.url ?? "", authorizeSecret: secret, ports: { http, testTrunk } });
}, 120_000);

afterAll(async () => {
  await pbx?.stop({ purge: true });
  await server?.close();
  await trunk?.close();
});

describe("record", () => {
  it("what Asterisk asks", async () => {
    await new Promise((r) => setTimeout(r, 1500));
    phase = "register";
    expect((await registerAs({ port: pbx.facts.sipUdpPort, user: sip.username, password: sip.password, expires: 60 })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    phase = "register-wrong";
    expect((await registerAs({ port: pbx.facts.sipUdpPort, user: sip.username, password: "nope-nope", expires: 60 })).status).toBe(401);
    phase = "register-unknown";
    expect((await registerAs({ port: pbx.facts.sipUdpPort, user: "u9-abcdefghij", password: "nope-nope", expires: 60 })).status).toBe(401);
    phase = "invite";
    const answer = await inviteAs({ port: pbx.facts.sipUdpPort, user: sip.username, password: sip.password, number: "+12015550123" });
    console.log("invite", answer);
    await new Promise((r) => setTimeout(r, 1500));
    phase = "qualify";
    await new Promise((r) => setTimeout(r, 32_000));
    phase = "unregister";
    expect((await registerAs({ port: pbx.facts.sipUdpPort, user: sip.username, password: sip.password, expires: 0 })).status).toBe(200);
    phase = "re-register";
    expect((await registerAs({ port: pbx.facts.sipUdpPort, user: sip.username, password: sip.password, expires: 60 })).status).toBe(200);
    phase = "restart";
    await pbx.cli("core restart now").catch(() => "closed");
    await new Promise((r) => setTimeout(r, 5_000));
    phase = "after-restart-register";
    expect((await registerAs({ port: pbx.facts.sipUdpPort, user: sip.username, password: sip.password, expires: 60 })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    console.log(seen.map((s) => `${s.phase}\t${s.family}/${s.op}\t${decodeURIComponent(s.body)}\t${s.answer.replace(/password=[^&]*/, "password=…")}`).join("\n"));
  }, 90_000);
});
