import { request } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createCore, type Core } from "../core/create-core";
import { startHost, type RunningHost } from "./host";
import { pageEndpoint, type PageEndpoint } from "./page-endpoint";
import { rawText } from "./ws-transport";

let dir: string;
let core: Core;
let host: RunningHost;
let cookie: string;
let clock = Date.now();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "caller-host-"));
  await writeFile(join(dir, "index.html"), "<!doctype html><title>t</title>");
  core = await createCore({ dataDir: join(dir, "data"), serverUrl: null, shell: "node-host", version: "test" });
  host = await startHost({ endpoint: pageEndpoint(core), rendererDir: dir, now: () => clock });
  cookie = await trade(host.launchUrl(10_000));
});
afterAll(async () => {
  await host.close();
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

/** What the page's first load does with its launch URL: the session cookie it gets back (name=value). */
async function trade(launchUrl: string): Promise<string> {
  const response = await fetch(launchUrl, { redirect: "manual" });
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe("/");
  const [setCookie] = response.headers.getSetCookie();
  return setCookie?.split(";")[0] ?? "";
}

function connect(headers: { origin?: string; protocols?: string[]; host?: string; cookie?: string | null }, to: RunningHost = host): Promise<WebSocket> {
  const url = `${to.origin.replace("http", "ws")}/api`;
  const withCookie = headers.cookie === undefined ? cookie : headers.cookie;
  const ws = new WebSocket(url, headers.protocols ?? ["caller-v1"], {
    headers: { origin: headers.origin ?? to.origin, ...(headers.host ? { host: headers.host } : {}), ...(withCookie ? { cookie: withCookie } : {}) },
  });
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
  });
}

function call(ws: WebSocket, id: number, method: string, request: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(rawText(data)) as { t: string; id?: number; envelope?: unknown };
      if (message.t === "result" && message.id === id) {
        ws.off("message", onMessage);
        resolve(message.envelope);
      }
    };
    ws.on("message", onMessage);
    ws.send(JSON.stringify({ t: "call", id, method, request }));
  });
}

describe("the Node host", () => {
  it("serves the renderer with a strict content security policy", async () => {
    const response = await fetch(`${host.origin}/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
  });

  it("answers a request for another host name (DNS rebinding) with nothing", async () => {
    // fetch() cannot set Host, so speak HTTP directly.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(`${host.origin}/`, { headers: { host: "evil.example" } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      })
        .on("error", reject)
        .end();
    });
    expect(status).toBe(421);
  });

  it("trades a launch code once for an HttpOnly, SameSite=Strict session cookie on the whole origin", async () => {
    const response = await fetch(host.launchUrl(10_000), { redirect: "manual" });
    expect(response.status).toBe(303);
    const [setCookie] = response.headers.getSetCookie();
    expect(setCookie).toMatch(/^caller_session_\d+=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("refuses a replayed launch code, a late one and a made-up one, with no cookie", async () => {
    const url = host.launchUrl(10_000);
    await trade(url);
    const replayed = await fetch(url, { redirect: "manual" });
    expect(replayed.status).toBe(403);
    expect(replayed.headers.getSetCookie()).toEqual([]);
    expect(await replayed.text()).toContain("This link to open Caller has been used already or has expired.");

    const late = host.launchUrl(10_000);
    clock += 10_001;
    expect((await fetch(late, { redirect: "manual" })).status).toBe(403);
    expect((await fetch(`${host.origin}/launch?code=${"A".repeat(43)}`, { redirect: "manual" })).status).toBe(403);
    expect((await fetch(`${host.origin}/launch`, { redirect: "manual" })).status).toBe(403);
  });

  it("opens the core's WebSocket with the session cookie, again after a reload, and refuses it without one", async () => {
    const first = await connect({});
    first.close();
    // A reload: the same cookie, a new socket.
    const again = await connect({});
    await expect(call(again, 1, "getAppInfo", {})).resolves.toMatchObject({ ok: true });
    again.close();
    await expect(connect({ cookie: null })).rejects.toThrow("HTTP 401");
    await expect(connect({ cookie: `${cookie.split("=")[0]}=${"x".repeat(43)}` })).rejects.toThrow("HTTP 401");
    // Cookies ignore ports: another host's cookie on 127.0.0.1 is not this one's.
    await expect(connect({ cookie: `caller_session_1=${cookie.split("=")[1]}` })).rejects.toThrow("HTTP 401");
  });

  it("a local user with a forged Origin and the launch code (as the old URL token) gets nothing", async () => {
    // A local script sends the app's own Origin (nothing stops it) with what another user could once read
    // from Chromium's command line: here the launch code, already traded by the window.
    const launchUrl = host.launchUrl(10_000);
    await trade(launchUrl);
    const code = new URL(launchUrl).searchParams.get("code") ?? "";
    await expect(connect({ cookie: null, protocols: ["caller-v1", `token.${code}`] })).rejects.toThrow("HTTP 401");
    await expect(connect({ cookie: `${cookie.split("=")[0]}=${code}` })).rejects.toThrow("HTTP 401");
  });

  it("refuses a WebSocket from another origin or for another host, even with the cookie", async () => {
    await expect(connect({ origin: "http://evil.example" })).rejects.toThrow("HTTP 403");
    await expect(connect({ host: "evil.example" })).rejects.toThrow("HTTP 421");
  });

  it("carries the typed API and refuses unknown methods and malformed requests", async () => {
    const ws = await connect({});
    await expect(call(ws, 1, "getAppInfo", {})).resolves.toMatchObject({ ok: true, value: { shell: "node-host", version: "test" } });
    await expect(call(ws, 2, "dropTables", {})).resolves.toMatchObject({ ok: false, error: { code: "bad_request" } });
    await expect(call(ws, 3, "listHistory", { limit: "all" })).resolves.toMatchObject({ ok: false, error: { code: "bad_request" } });
    await expect(call(ws, 4, "updateSettings", { language: "fr" })).resolves.toMatchObject({ ok: false, error: { code: "bad_request" } });
    await expect(call(ws, 5, "getSettings", {})).resolves.toEqual({ ok: true, value: { language: null, defaultCountry: null } });
    await expect(call(ws, 6, "adminListUsers", {})).resolves.toMatchObject({ ok: false, error: { code: "not_signed_in" } });
    ws.close();
  });

  it("closes a connection that sends something other than a call frame", async () => {
    const ws = await connect({});
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    ws.send("not json");
    expect(await closed).toBe(1003);
  });
});

describe("a host whose core is still starting", () => {
  it("serves the page and trades the launch code at once; the page's calls wait for the core, then are answered, and its events follow", async () => {
    let coreStarted: (endpoint: PageEndpoint) => void = () => undefined;
    const starting = await startHost({ endpoint: new Promise<PageEndpoint>((resolve) => (coreStarted = resolve)), rendererDir: dir });
    try {
      expect((await fetch(`${starting.origin}/`)).status).toBe(200);
      const ws = await connect({ cookie: await trade(starting.launchUrl(10_000)) }, starting);
      const events: unknown[] = [];
      ws.on("message", (data) => {
        const message = JSON.parse(rawText(data)) as { t: string; event?: string; payload?: unknown };
        if (message.t === "event" && message.event === "dialRequested") events.push(message.payload);
      });
      let answered = false;
      const first = call(ws, 1, "getAppInfo", {}).finally(() => (answered = true));
      const second = call(ws, 2, "getSettings", {});
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(answered).toBe(false);

      coreStarted(pageEndpoint(core));
      await expect(first).resolves.toMatchObject({ ok: true, value: { shell: "node-host", version: "test" } });
      await expect(second).resolves.toEqual({ ok: true, value: { language: null, defaultCountry: null } });
      core.requestDial("tel:+81312345678", "link");
      await expect.poll(() => events).toEqual([expect.objectContaining({ number: "+81312345678", source: "link" })]);
      ws.close();
    } finally {
      await starting.close();
    }
  });

  it("closes the page's socket when the core cannot start", async () => {
    const failed = Promise.reject(new Error("the store is locked"));
    const starting = await startHost({ endpoint: failed, rendererDir: dir });
    try {
      const ws = await connect({ cookie: await trade(starting.launchUrl(10_000)) }, starting);
      const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
      ws.send(JSON.stringify({ t: "call", id: 1, method: "getAppInfo", request: {} }));
      expect(await closed).toBe(1011);
    } finally {
      await starting.close();
    }
  });
});
