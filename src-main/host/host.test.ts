import { request } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createCore, type Core } from "../core/create-core";
import { startHost, type RunningHost } from "./host";
import { rawText } from "./ws-transport";

let dir: string;
let core: Core;
let host: RunningHost;
const token = "launch-token-for-tests-0123456789";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "caller-host-"));
  await writeFile(join(dir, "index.html"), "<!doctype html><title>t</title>");
  core = await createCore({ dataDir: join(dir, "data"), serverUrl: null, shell: "node-host", version: "test" });
  host = await startHost({ core, rendererDir: dir, token });
});
afterAll(async () => {
  await host.close();
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

function connect(headers: { origin?: string; protocols?: string[]; host?: string }): Promise<WebSocket> {
  const url = `${host.origin.replace("http", "ws")}/api`;
  const ws = new WebSocket(url, headers.protocols ?? ["caller-v1", `token.${token}`], {
    headers: { origin: headers.origin ?? host.origin, ...(headers.host ? { host: headers.host } : {}) },
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

  it("refuses a WebSocket without the launch token, from another origin, or for another host", async () => {
    await expect(connect({ protocols: ["caller-v1", "token.wrong"] })).rejects.toThrow("HTTP 401");
    await expect(connect({ protocols: ["caller-v1"] })).rejects.toThrow("HTTP 401");
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
