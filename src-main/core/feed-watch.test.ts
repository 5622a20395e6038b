import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
// The core against the real company server, in-process over loopback HTTP (test only).
// eslint-disable-next-line no-restricted-imports -- the server under test, not code the core uses
import { bearer, startTestServer, demoCredentials, type TestServer } from "../../src-server/test-support/test-server";
import { createCore, type Core } from "./create-core";

let server: TestServer;
let dir: string;
let core: Core;

beforeAll(async () => {
  server = await startTestServer({ listen: true, realClock: true });
  dir = await mkdtemp(join(tmpdir(), "caller-watch-"));
  // An hour between periodic syncs: whatever arrives sooner came through the held request.
  core = await createCore({ dataDir: dir, serverUrl: server.url, shell: "node-host", version: "test", syncIntervalMs: 3_600_000 });
  await core.handlers.signIn({ email: demoCredentials.sales.email, password: demoCredentials.sales.password });
}, 30_000);

afterAll(async () => {
  await core?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

it("a change made on the server reaches the signed-in desktop within seconds, not at the next periodic sync", async () => {
  await expect.poll(async () => (await core.handlers.getSyncState({})).lastSyncedAt, { timeout: 10_000 }).not.toBeNull();
  // Signing in also starts the server link watch, whose first answer syncs once more: let that pass.
  await expect.poll(async () => (await core.handlers.getServerLink({})).status, { timeout: 10_000 }).toBe("reachable");
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const before = (await core.handlers.getSyncState({})).lastSeq;
  const admin = await server.sessionFor(demoCredentials.admin);
  const renamedAt = Date.now();
  const reply = await server.app.inject({ method: "PATCH", url: "/api/admin/company", headers: bearer(admin), payload: { name: "Renamed While Watching" } });
  expect(reply.statusCode).toBe(200);
  await expect.poll(async () => (await core.handlers.getSyncState({})).lastSeq, { timeout: 5_000, interval: 50 }).toBeGreaterThan(before);
  // SQLite has no NOTIFY: the server looks again every second while it holds the request.
  expect(Date.now() - renamedAt).toBeLessThan(3_000);
  await expect.poll(async () => { const s = await core.handlers.getSession({}); return s.signedIn ? s.company.name : null; }).toBe("Renamed While Watching");
});
