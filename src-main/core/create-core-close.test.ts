// tsconfig.electron.json compiles src-main/core with its tests; the server's AMI client here needs the package's declarations.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- a declaration-only file cannot be imported
/// <reference path="../../src-server/pbx/asterisk-manager.d.ts" />
import { createHook } from "node:async_hooks";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The whole core against the real company server (test only), with a scripted PBX for the verification call.
// eslint-disable-next-line no-restricted-imports -- the server under test, not code the core uses
import { AmiClient } from "../../src-server/pbx/ami-client";
// eslint-disable-next-line no-restricted-imports -- the server under test
import { registerVerificationRoutes } from "../../src-server/routes/verification-routes";
// eslint-disable-next-line no-restricted-imports -- the server under test
import { startTestServer, demoCredentials, type TestServer } from "../../src-server/test-support/test-server";
// eslint-disable-next-line no-restricted-imports -- the server under test
import { openSqliteTestDb, type TestDb } from "../../src-server/test-support/test-db";
// eslint-disable-next-line no-restricted-imports -- a scripted PBX: real TCP, real AMI frames
import { startScriptedAmi, type ScriptedAmi } from "../../src-server/verification/testing/scripted-ami";
// eslint-disable-next-line no-restricted-imports -- the server under test
import { VerificationService } from "../../src-server/verification/verification-service";
import { createCore } from "./create-core";
import { loopbackRelay, type LoopbackRelay } from "./testing/loopback-relay";

const coreDir = `${sep}src-main${sep}core${sep}`;
/** The first frame of our own code that made the timer: a core module's, not a test's or a test helper's. */
const madeByCore = (stack: string): boolean => {
  // Past "Error" and this hook's own frame.
  const own = stack.split("\n").slice(2).find((line) => line.includes(`${sep}src-`) || line.includes(".test.ts"));
  return own !== undefined && own.includes(coreDir) && !own.includes(".test.ts") && !own.includes(`${sep}testing${sep}`);
};

/** Every timer a core module sets while the hook is on, until it fires or is cleared (unref'd ones too, which keep no process alive). */
const live = new Map<number, string>();
const hook = createHook({
  init(id, type) {
    if (type !== "Timeout") return;
    const stack = new Error().stack ?? "";
    // A request's own timeout (AbortSignal.timeout) is weak: it only lapses, and calls nothing of ours.
    if (madeByCore(stack) && !stack.includes("AbortSignal.timeout")) live.set(id, stack);
  },
  destroy(id) {
    live.delete(id);
  },
});

let testDb: TestDb;
let server: TestServer;
let ami: ScriptedAmi;
let amiClient: AmiClient;
let relay: LoopbackRelay;
let dir: string;

beforeAll(async () => {
  ami = await startScriptedAmi();
  amiClient = new AmiClient({ host: "127.0.0.1", port: ami.port, username: "u", secret: "s", pingIntervalMs: 0 });
  testDb = await openSqliteTestDb();
  const service = new VerificationService({ db: testDb.db, now: Date.now, log: { info: () => {}, warn: () => {}, error: () => {} }, limits: { verificationsPerUserPerHour: 50, callsPerNumberPerHour: 50 } });
  server = await startTestServer({ db: testDb.db, listen: true, realClock: true, beforeReady: (app) => registerVerificationRoutes(app, service) });
  service.attach(amiClient);
  await amiClient.connect();
  relay = await loopbackRelay(Number(new URL(server.url!).port));
  dir = await mkdtemp(join(tmpdir(), "caller-close-"));
}, 30_000);

afterAll(async () => {
  hook.disable();
  amiClient?.close();
  await ami?.close();
  await relay?.close();
  await server?.close();
  await testDb?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("closing the core", () => {
  it("stops every service it started: no timer of the core's is left, however busy it was", async () => {
    hook.enable();
    const core = await createCore({ dataDir: dir, serverUrl: relay.url, shell: "node-host", version: "test", syncIntervalMs: 200, serverLink: { upIntervalMs: 100 } });
    await core.handlers.signIn(demoCredentials.sales);
    // A verification being followed (its poll sleeps on a timer) ...
    const active = await core.handlers.startVerification({ country: "US", number: "+1 201 555 0171", extension: null });
    expect(active.verification.state).toBe("calling");
    // ... a recording whose upload cannot go (its retry waits on a timer), a chosen outcome queued offline, and the link probing for the server.
    const clientCallId = "00000000-0000-4000-8000-000000000171";
    await core.handlers.startDesktopRecording({ clientCallId, sampleRate: 8000 });
    await core.handlers.appendDesktopRecording({ clientCallId, seq: 0, pcm: Buffer.alloc(1600).toString("base64") });
    relay.cut();
    await core.handlers.stopDesktopRecording({ clientCallId });
    await core.handlers.noteCallEnded({ clientCallId, number: "+12015550171", endedAt: Date.now() });
    await core.handlers.getCallOutcomes({});
    await core.handlers.syncNow({});
    await expect.poll(() => live.size, { timeout: 5000 }).toBeGreaterThanOrEqual(3);

    await core.close();
    // A timer's destroy is reported on the next turns of the loop.
    await new Promise((resolve) => setTimeout(resolve, 50));
    hook.disable();
    expect([...live.values()]).toEqual([]);
    relay.restore();
  }, 30_000);
});
