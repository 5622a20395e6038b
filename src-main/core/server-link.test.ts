import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerLink } from "../../src-shared/api/areas/phone";
// The core against the real company server, in-process over loopback HTTP, behind a relay the test cuts (test only).
// eslint-disable-next-line no-restricted-imports -- the server under test, not code the core uses
import { startTestServer, demoCredentials, type TestServer } from "../../src-server/test-support/test-server";
import { createCore, type Core } from "./create-core";
import { loopbackRelay, type LoopbackRelay } from "./testing/loopback-relay";

let server: TestServer;
let relay: LoopbackRelay;
let dir: string;
let core: Core;
const seen: Array<ServerLink & { at: number }> = [];

beforeAll(async () => {
  server = await startTestServer({ listen: true, realClock: true });
  relay = await loopbackRelay(Number(new URL(server.url!).port));
  dir = await mkdtemp(join(tmpdir(), "caller-link-"));
  core = await createCore({ dataDir: dir, serverUrl: relay.url, shell: "node-host", version: "test" });
  core.events.on("serverLinkChanged", (link) => void seen.push({ ...link, at: Date.now() }));
  await core.handlers.signIn({ email: demoCredentials.sales.email, password: demoCredentials.sales.password });
}, 30_000);

afterAll(async () => {
  await core?.close();
  await relay?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const until = async (what: () => Promise<boolean> | boolean, timeoutMs: number): Promise<number> => {
  const start = Date.now();
  while (!(await what())) {
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - start;
};
const status = async () => (await core.handlers.getServerLink({})).status;

describe("the core's link to the company server", () => {
  it("reads the phone's readiness facts once signed in", async () => {
    await until(async () => (await status()) === "reachable", 5_000);
    expect((await core.handlers.getServerLink({})).readiness).toEqual({ planIncludesCaller: true, userMayCall: true, verifiedNumber: "+819012345678", hasCredit: true });
  });

  it("notices a lost server within 2 s and a returned one within 5 s, by itself", async () => {
    relay.cut();
    expect(await until(async () => (await status()) === "unreachable", 2_000)).toBeLessThan(2_000);
    // A long outage: the backoff must stay at its cap, not grow past 5 s.
    await new Promise((r) => setTimeout(r, 8_000));
    const down = seen.filter((s) => s.status === "unreachable");
    const waits = down.slice(1).map((s, i) => s.at - down[i]!.at);
    expect(Math.max(...waits)).toBeLessThanOrEqual(3_500);
    relay.restore();
    expect(await until(async () => (await status()) === "reachable", 5_000)).toBeLessThan(5_000);
  }, 30_000);

  it("tries again at once when asked, instead of at the next step of the backoff", async () => {
    relay.cut();
    await until(async () => (await status()) === "unreachable", 2_000);
    relay.restore();
    const start = Date.now();
    expect((await core.handlers.retryServerLink({})).status).toBe("reachable");
    expect(Date.now() - start).toBeLessThan(1_000);
  }, 15_000);

  it("follows the server's facts: a connected number removed shows at the next sync", async () => {
    await server.db("users").where({ email: demoCredentials.sales.email }).update({ verified_number: null });
    await core.handlers.syncNow({});
    await until(async () => (await core.handlers.getServerLink({})).readiness?.verifiedNumber === null, 3_000);
  });
});
