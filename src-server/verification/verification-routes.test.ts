import { Writable } from "node:stream";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CallerError } from "../../src-shared/errors";
import type { StartVerificationReply, Verification } from "../../src-shared/server-api/verification";
import { buildServer } from "../build-server";
import { findUserByEmail } from "../db/users-repo";
import type { App } from "../http/app";
import { AmiClient } from "../pbx/ami-client";
import { demoCredentials, seedDemo } from "../seed/demo";
import { openSqliteTestDb, type TestDb } from "../test-support/test-db";
import { bearer } from "../test-support/test-server";
import { startScriptedAmi, type ScriptedAmi } from "./testing/scripted-ami";
import { channelIdFor } from "./verification-signals";
import { VerificationService } from "./verification-service";

// The HTTP side of verification over real TCP to a scripted AMI peer: limits,
// ownership, where the code may appear, and Originate never sent twice.
let testDb: TestDb;
let ami: ScriptedAmi;
let client: AmiClient;
let app: App;
let service: VerificationService;
const clock = { now: Date.UTC(2026, 10, 24, 6, 0, 0) };
const logs: string[] = [];
let received = 0;
const tokens: Record<"sales" | "admin" | "otherAdmin", string> = { sales: "", admin: "", otherAdmin: "" };

beforeAll(async () => {
  testDb = await openSqliteTestDb();
  await seedDemo(testDb.db, clock.now);
}, 30_000);

afterAll(async () => {
  await testDb?.close();
});

beforeEach(async () => {
  logs.length = 0;
  await testDb.db("verifications").delete();
  ami = await startScriptedAmi();
  client = new AmiClient({ host: "127.0.0.1", port: ami.port, username: "u", secret: "s", pingIntervalMs: 0, backoff: { initialMs: 20, maxMs: 100, factor: 2 } });
  const record = (details: object, message: string): void => void logs.push(`${message} ${JSON.stringify(details)}`);
  service = new VerificationService({ db: testDb.db, now: () => clock.now, log: { info: record, warn: record, error: record }, limits: { verificationsPerUserPerHour: 3, callsPerNumberPerHour: 2 } });
  service.attach(client);
  client.on("event", () => void received++);
  await client.connect();
  const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => (logs.push(chunk.toString("utf8")), done()) });
  app = buildServer({ db: testDb.db, now: () => clock.now, logger: { level: "trace", stream }, verification: service });
  await app.ready();
  for (const who of ["sales", "admin", "otherAdmin"] as const) {
    const reply = await app.inject({ method: "POST", url: "/api/auth/sign-in", payload: demoCredentials[who] });
    tokens[who] = reply.json<{ token: string }>().token;
  }
});

afterEach(async () => {
  await app.close();
  client.close();
  await ami.close();
});

async function start(who: keyof typeof tokens, number: string, country = "US", extension?: unknown): Promise<{ status: number; body: StartVerificationReply & { code: string; message: string } }> {
  const payload = extension === undefined ? { country, number } : { country, number, extension };
  const reply = await app.inject({ method: "POST", url: "/api/verification", headers: bearer(tokens[who]), payload });
  return { status: reply.statusCode, body: reply.json() };
}

const originates = (): Map<string, string>[] => ami.actions.filter((a) => a.get("action")?.toLowerCase() === "originate");
/** An Originate's channel variables as Asterisk will split them (one `Variable: NAME=value` header each). */
const variablesOf = (frame: Map<string, string> | undefined): Map<string, string> =>
  new Map((frame?.get("variable") ?? "").split("|").map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)] as const));
const storedCount = async (): Promise<number> => Number((await testDb.db("verifications").count<{ n: number }[]>({ n: "*" }))[0]?.n ?? 0);
const get = (who: keyof typeof tokens, id: string) => app.inject({ method: "GET", url: `/api/verification/${id}`, headers: bearer(tokens[who]) });

/** Sends an event and waits until the service has applied it. */
async function hear(event: Record<string, string>): Promise<void> {
  const before = received;
  ami.send(event);
  await expect.poll(() => received).toBeGreaterThan(before);
  await service.whenIdle();
}
const digits = (id: string, typed: string): Promise<void> => hear({ Event: "UserEvent", UserEvent: "CallerVerify", VerifyId: id, Digits: typed, Status: "OK" });
const answer = (id: string): Promise<void> => hear({ Event: "DialEnd", Linkedid: channelIdFor(id), DialStatus: "ANSWER" });
const stateOf = async (id: string): Promise<Verification> => (await get("sales", id)).json<Verification>();

describe("verification routes", () => {
  it("a user starts a verification: one Originate into verify-out, the code only in this reply", async () => {
    const { status, body } = await start("sales", "(201) 555-0123");
    expect(status).toBe(201);
    expect(body.code).toMatch(/^[0-9]{6}$/);
    expect(body.verification).toMatchObject({ number: "+12015550123", state: "calling", attempts: 0 });
    expect(originates()).toHaveLength(1);
    const [frame] = originates();
    expect(frame?.get("channel")).toBe("Local/+12015550123@verify-out");
    expect(frame?.get("context")).toBe("verify");
    expect(frame?.get("channelid")).toBe(channelIdFor(body.verification.id));
    expect(frame?.get("variable")).toContain(`VERIFY_ID=${body.verification.id}`);

    const id = body.verification.id;
    const others = [await get("sales", id), await app.inject({ method: "GET", url: "/api/changes", headers: bearer(tokens.sales) })];
    await answer(id);
    await digits(id, body.code === "999999" ? "999998" : "999999");
    await digits(id, body.code);
    others.push(await get("sales", id), await app.inject({ method: "GET", url: "/api/changes", headers: bearer(tokens.sales) }));
    const code = new RegExp(`(?<![0-9])${body.code}(?![0-9])`);
    for (const reply of others) expect(reply.body).not.toMatch(code);
    expect(JSON.stringify(ami.actions.map((a) => [...a]))).not.toMatch(code);
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) expect(line).not.toMatch(code);
    expect((await stateOf(id)).state).toBe("verified");
  });

  it("premium-rate, shared-cost, UAN and pager numbers are refused by name and never called", async () => {
    for (const [country, number, reason] of [["US", "+19005551234", "premium_rate"], ["JP", "0570-000-000", "uan"], ["GB", "+447640123456", "pager"], ["GB", "+441632960000", "invalid_number"]] as const) {
      const { status, body } = await start("sales", number, country);
      expect(status).toBe(400);
      expect(body.code).toBe("invalid_number");
      expect(body.message).toContain(reason);
    }
    expect(originates()).toHaveLength(0);
  });

  it("another user gets 404 on someone else's verification, and sees none of it in the change feed", async () => {
    const { body } = await start("sales", "+12015550123");
    for (const who of ["admin", "otherAdmin"] as const) {
      expect((await get(who, body.verification.id)).statusCode).toBe(404);
      expect((await app.inject({ method: "DELETE", url: `/api/verification/${body.verification.id}`, headers: bearer(tokens[who]) })).statusCode).toBe(404);
      const feed = await app.inject({ method: "GET", url: "/api/changes", headers: bearer(tokens[who]) });
      expect(feed.json<{ changes: { entity: string }[] }>().changes.some((c) => c.entity === "verification")).toBe(false);
    }
    expect((await stateOf(body.verification.id)).state).toBe("calling");
  });

  it("three wrong codes fail the verification, and the right one after that changes nothing", async () => {
    const before = (await findUserByEmail(testDb.db, demoCredentials.sales.email))?.verifiedNumber;
    const { body } = await start("sales", "+12015550124");
    const id = body.verification.id;
    await answer(id);
    const wrong = body.code === "000000" ? "111111" : "000000";
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      await digits(id, wrong);
      seen.push((await stateOf(id)).state);
    }
    expect(seen).toEqual(["wrong_code", "wrong_code", "failed"]);
    await digits(id, body.code);
    expect(await stateOf(id)).toMatchObject({ state: "failed", failureReason: "too_many_attempts", attempts: 3 });
    expect((await findUserByEmail(testDb.db, demoCredentials.sales.email))?.verifiedNumber).toBe(before);
  });

  it("verifications per user and calls per number are limited per hour with rate_limited", async () => {
    expect((await start("sales", "+12015550125")).status).toBe(201);
    expect((await start("admin", "+12015550125")).status).toBe(201);
    const third = await start("otherAdmin", "+12015550125");
    expect([third.status, third.body.code]).toEqual([429, "rate_limited"]);
    expect(third.body).toMatchObject({ reason: "verification_calls_per_number", params: { limit: 2 } });
    expect((await start("sales", "+12015550126")).status).toBe(201);
    expect((await start("sales", "+12015550127")).status).toBe(201);
    const fourth = await start("sales", "+12015550128");
    expect([fourth.status, fourth.body.code]).toEqual([429, "rate_limited"]);
    expect(fourth.body).toMatchObject({ reason: "verifications_per_hour", params: { limit: 3 } });
    expect(originates()).toHaveLength(4);
    clock.now += 3_600_001;
    expect((await start("sales", "+12015550125")).status).toBe(201);
  });

  it("an Originate lost in a reconnect fails the verification and is never sent again", async () => {
    ami.dropOnOriginate = true;
    const { status, body } = await start("sales", "+12015550129");
    expect(status).toBe(201);
    expect(body.verification).toMatchObject({ state: "failed", failureReason: "pbx_unavailable" });
    await client.waitUntilConnected(5_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(originates()).toHaveLength(1);
    await answer(body.verification.id);
    await digits(body.verification.id, body.code);
    expect((await stateOf(body.verification.id)).state).toBe("failed");
  });

  it("an expired verification cannot be verified; a cancelled one hangs its channel up", async () => {
    const expiring = (await start("sales", "+12015550130")).body;
    clock.now = expiring.verification.expiresAt;
    expect((await stateOf(expiring.verification.id)).state).toBe("expired");
    await answer(expiring.verification.id);
    await digits(expiring.verification.id, expiring.code);
    expect((await stateOf(expiring.verification.id)).state).toBe("expired");

    const cancelled = (await start("sales", "+12015550131")).body;
    const reply = await app.inject({ method: "DELETE", url: `/api/verification/${cancelled.verification.id}`, headers: bearer(tokens.sales) });
    expect(reply.json<Verification>().state).toBe("cancelled");
    await expect.poll(() => ami.actions.find((a) => a.get("action") === "Hangup")?.get("channel")).toBe(channelIdFor(cancelled.verification.id));
  });

  it("an extension goes to the PBX as VERIFY_EXTENSION and stays with the verification; none, no variable", async () => {
    const { status, body } = await start("sales", "+12015550132", "US", "204");
    expect(status).toBe(201);
    expect(body.verification).toMatchObject({ number: "+12015550132", extension: "204" });
    expect(variablesOf(originates()[0])).toEqual(new Map([["VERIFY_ID", body.verification.id], ["VERIFY_EXTENSION", "204"]]));
    await answer(body.verification.id);
    await digits(body.verification.id, body.code);
    expect(await stateOf(body.verification.id)).toMatchObject({ state: "verified", extension: "204" });
    const feed = await app.inject({ method: "GET", url: "/api/changes", headers: bearer(tokens.sales) });
    const last = feed.json<{ changes: { entity: string; data: Verification }[] }>().changes.filter((c) => c.entity === "verification").at(-1);
    expect(last?.data).toMatchObject({ state: "verified", extension: "204" });

    const plain = await start("sales", "+12015550133", "US", null);
    expect(plain.body.verification.extension).toBeNull();
    expect(variablesOf(originates()[1]).has("VERIFY_EXTENSION")).toBe(false);
  });

  it("a bad extension is a 400 before anything is stored or called, from the route and from the service itself", async () => {
    const bad: unknown[] = ["", "12a", "1,2", "12w", "*1", "1#", "12345678901", "1\r\nAction: Hangup", "１２", " 12", 204, ["1"]];
    for (const extension of bad) {
      const { status, body } = await start("sales", "+12015550134", "US", extension);
      expect([status, body.code], JSON.stringify(extension)).toEqual([400, "bad_request"]);
      expect(body.message).toMatch(/extension/);
    }
    const sales = (await findUserByEmail(testDb.db, demoCredentials.sales.email))!;
    const direct = await service.start({ companyId: sales.companyId, userId: sales.id }, { country: "US", number: "+12015550134", extension: "2)w,9&x" }).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(CallerError);
    expect((direct as CallerError).message).toMatch(/^invalid_extension:/);
    expect(await storedCount()).toBe(0);
    expect(originates()).toHaveLength(0);
    expect(ami.actions.some((a) => a.get("action")?.toLowerCase() === "hangup")).toBe(false);
  });

  it("whatever extension is sent, the Originate carries only 1 to 10 digits, or nothing was called or stored", async () => {
    const anyText = fc.oneof(fc.stringMatching(/^[0-9]{1,10}$/), fc.string({ maxLength: 14 }), fc.string({ unit: "binary", maxLength: 12 }), fc.stringMatching(/^[0-9,;w*#()&|=\r\n ]{0,12}$/));
    await fc.assert(
      fc.asyncProperty(anyText, async (extension) => {
        clock.now += 3_600_001;
        const [calls, rows] = [originates().length, await storedCount()];
        const { status } = await start("sales", "+12015550135", "US", extension);
        if (status === 201) {
          expect(extension).toMatch(/^[0-9]{1,10}$/);
          expect(variablesOf(originates().at(-1)).get("VERIFY_EXTENSION")).toBe(extension);
          expect(await storedCount()).toBe(rows + 1);
        } else {
          expect(status).toBe(400);
          expect([originates().length, await storedCount()]).toEqual([calls, rows]);
        }
      }),
      { numRuns: 80 },
    );
    for (const frame of originates()) expect([...variablesOf(frame).keys()].sort()).toEqual(["VERIFY_EXTENSION", "VERIFY_ID"].filter((name) => frame.get("variable")?.includes(`${name}=`)));
    expect(ami.actions.some((a) => a.get("action")?.toLowerCase() === "hangup")).toBe(false);
  });
});
