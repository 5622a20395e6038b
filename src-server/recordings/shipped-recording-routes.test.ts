import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PbxServerConfig } from "../pbx/pbx-server-config";
import { startTestServer, type TestServer } from "../test-support/test-server";
import { directoryStorage } from "./recording-storage";

// The shipper beside each Asterisk reaches these routes through the load balancer's PBX door
// in the scale topology: they answer the configured PBX peers like every other PBX route.
const pbx: PbxServerConfig = { secret: "0123456789abcdef0123456789abcdef", wsUrl: "ws://127.0.0.1:8088/ws", sipDomain: "127.0.0.1", iceServers: [], ami: null, cdrStore: null, peers: ["10.9.8.7"] };
let server: TestServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "shipped-routes-"));
  server = await startTestServer({ pbx, recordings: { storage: directoryStorage(dir), pbx: null } });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ask = (remoteAddress: string, secret = pbx.secret) =>
  server.app.inject({ method: "GET", url: "/pbx/recordings/1700000000.1", remoteAddress, headers: { "x-caller-pbx-secret": secret } });

describe("the shipped-recording routes' door", () => {
  it("answers a configured PBX peer and loopback with the secret, and refuses any other address or a wrong secret", async () => {
    expect((await ask("10.9.8.7")).statusCode).toBe(200);
    expect((await ask("127.0.0.1")).statusCode).toBe(200);
    expect((await ask("10.9.8.8")).statusCode).toBe(403);
    expect((await ask("10.9.8.7", "wrong")).statusCode).toBe(401);
  });
});
