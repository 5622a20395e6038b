// tsconfig.electron.json compiles src-main/core with its tests; the server's AMI client here needs the package's declarations.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- a declaration-only file cannot be imported
/// <reference path="../../../src-server/pbx/asterisk-manager.d.ts" />
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ConnectedNumber } from "../../../src-shared/api/areas/personal";
import type { Verification } from "../../../src-shared/server-api/verification";
import { CallerError } from "../../../src-shared/errors";
// The core's personal area against the real company server, in-process over loopback HTTP (test only).
// eslint-disable-next-line no-restricted-imports -- the server under test, not code the core uses
import { AmiClient } from "../../../src-server/pbx/ami-client";
// eslint-disable-next-line no-restricted-imports -- the server under test
import { registerVerificationRoutes } from "../../../src-server/routes/verification-routes";
// eslint-disable-next-line no-restricted-imports -- the server under test
import { startTestServer, demoCredentials, type TestServer } from "../../../src-server/test-support/test-server";
// eslint-disable-next-line no-restricted-imports -- the server under test
import { openSqliteTestDb, type TestDb } from "../../../src-server/test-support/test-db";
// eslint-disable-next-line no-restricted-imports -- a scripted PBX: real TCP, real AMI frames
import { startScriptedAmi, type ScriptedAmi } from "../../../src-server/verification/testing/scripted-ami";
// eslint-disable-next-line no-restricted-imports -- the server under test
import { channelIdFor } from "../../../src-server/verification/verification-signals";
// eslint-disable-next-line no-restricted-imports -- the server under test
import { VerificationService } from "../../../src-server/verification/verification-service";
import { createCore, type Core } from "../create-core";

let testDb: TestDb;
let server: TestServer;
let ami: ScriptedAmi;
let amiClient: AmiClient;
let dir: string;
let core: Core;
const seen: Verification[] = [];
const numbers: ConnectedNumber[] = [];

beforeAll(async () => {
  ami = await startScriptedAmi();
  amiClient = new AmiClient({ host: "127.0.0.1", port: ami.port, username: "u", secret: "s", pingIntervalMs: 0 });
  testDb = await openSqliteTestDb();
  const service = new VerificationService({ db: testDb.db, now: Date.now, log: { info: () => {}, warn: () => {}, error: () => {} }, limits: { verificationsPerUserPerHour: 50, callsPerNumberPerHour: 50 } });
  server = await startTestServer({ db: testDb.db, listen: true, realClock: true, beforeReady: (app) => registerVerificationRoutes(app, service) });
  service.attach(amiClient);
  await amiClient.connect();
  dir = await mkdtemp(join(tmpdir(), "caller-personal-"));
  core = await createCore({ dataDir: dir, serverUrl: server.url, shell: "node-host", version: "test" });
  core.events.on("verificationChanged", (v) => void seen.push(v));
  core.events.on("connectedNumberChanged", (n) => void numbers.push(n));
  await core.handlers.signIn({ email: demoCredentials.sales.email, password: demoCredentials.sales.password });
}, 30_000);

afterEach(() => {
  seen.length = 0;
  numbers.length = 0;
});

afterAll(async () => {
  await core?.close();
  amiClient?.close();
  await ami?.close();
  await server?.close();
  await testDb?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const answer = (id: string) => ami.send({ Event: "DialEnd", Linkedid: channelIdFor(id), DialStatus: "ANSWER" });
const digits = (id: string, typed: string) => ami.send({ Event: "UserEvent", UserEvent: "CallerVerify", VerifyId: id, Digits: typed, Status: "OK" });
const states = () => seen.map((v) => v.state);
const serverNumber = async () => (await server.db<{ email: string; verified_number: string | null }>("users").where({ email: demoCredentials.sales.email }).first())?.verified_number;

describe("the core's personal area against the real server", () => {
  it("follows a verification to verified and pushes the new connected number with the extension its call dialed", async () => {
    const active = await core.handlers.startVerification({ country: "US", number: "(201) 555-0161", extension: "204" });
    expect(active.code).toMatch(/^[0-9]{6}$/);
    expect(active.verification).toMatchObject({ number: "+12015550161", extension: "204", state: "calling" });
    const originate = ami.actions.filter((a) => a.get("action")?.toLowerCase() === "originate").at(-1);
    expect(originate?.get("variable")?.split("|")).toContain("VERIFY_EXTENSION=204");
    expect((await core.handlers.getConnectedNumber({})).active?.code).toBe(active.code);

    answer(active.verification.id);
    await expect.poll(states, { timeout: 3_000, interval: 20 }).toContain("answered");
    const typedAt = Date.now();
    digits(active.verification.id, active.code);
    await expect.poll(states, { timeout: 3_000, interval: 10 }).toContain("verified");
    // The poll interval plus a round trip: the renderer hears it well inside the 0.5 s target.
    expect(Date.now() - typedAt).toBeLessThan(500);
    await expect.poll(() => numbers.at(-1)?.number, { timeout: 3_000 }).toBe("+12015550161");
    expect(numbers.at(-1)?.extension).toBe("204");
    expect(await serverNumber()).toBe("+12015550161");
    expect(await core.handlers.getConnectedNumber({})).toMatchObject({ number: "+12015550161", extension: "204" });
  });

  it("a wrong code ends in wrong_code and the connected number stays as it was", async () => {
    const active = await core.handlers.startVerification({ country: "US", number: "+1 201 555 0162", extension: null });
    answer(active.verification.id);
    digits(active.verification.id, active.code === "000000" ? "111111" : "000000");
    await expect.poll(states, { timeout: 3_000, interval: 20 }).toContain("wrong_code");
    expect(await core.handlers.getVerification({ id: active.verification.id })).toMatchObject({ state: "wrong_code", attempts: 1 });
    expect(await serverNumber()).toBe("+12015550161");
    expect(numbers).toEqual([]);
  });

  it("cancelling hangs the call up and says cancelled", async () => {
    const active = await core.handlers.startVerification({ country: "US", number: "2015550163", extension: null });
    expect((await core.handlers.cancelVerification({ id: active.verification.id })).state).toBe("cancelled");
    expect(states()).toEqual(["calling", "cancelled"]);
    await expect.poll(() => ami.actions.some((a) => a.get("action") === "Hangup" && a.get("channel") === channelIdFor(active.verification.id))).toBe(true);
  });

  it("a premium-rate number is refused by the server with invalid_number and nothing is called", async () => {
    const before = ami.actions.length;
    const refused = await core.handlers.startVerification({ country: "US", number: "+1 900 555 1234", extension: null }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CallerError);
    expect((refused as CallerError).code).toBe("invalid_number");
    expect((refused as CallerError).message).toContain("premium_rate");
    expect(ami.actions.length).toBe(before);
  });

  it("disconnecting clears the number on the server and the extension here", async () => {
    const after = await core.handlers.disconnectNumber({});
    expect(after).toMatchObject({ number: null, extension: null });
    expect(await serverNumber()).toBeNull();
    expect(numbers.at(-1)?.number).toBeNull();
  });

  it("keeps the calling method on this device and tells every window", async () => {
    const heard: unknown[] = [];
    const off = core.events.on("callingMethodChanged", (setting) => void heard.push(setting));
    expect(await core.handlers.getCallingMethod({})).toEqual({ callingMethod: "caller", otherHandler: "tel" });
    expect(await core.handlers.setCallingMethod({ callingMethod: "other", otherHandler: "sip" })).toEqual({ callingMethod: "other", otherHandler: "sip" });
    expect(await core.handlers.setCallingMethod({ callingMethod: "caller" })).toEqual({ callingMethod: "caller", otherHandler: "sip" });
    expect(await core.handlers.getCallingMethod({})).toEqual({ callingMethod: "caller", otherHandler: "sip" });
    expect(heard).toHaveLength(2);
    off();
  });
});
