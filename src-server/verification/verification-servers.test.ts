import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findUserByEmail } from "../db/users-repo";
import { AmiClient } from "../pbx/ami-client";
import { demoCredentials, seedDemo } from "../seed/demo";
import { openSqliteTestDb, type TestDb } from "../test-support/test-db";
import { startScriptedAmi, type ScriptedAmi } from "./testing/scripted-ami";
import { channelIdFor } from "./verification-signals";
import { VerificationService } from "./verification-service";

// Two servers on one database, each following the same two PBXs (the scale topology):
// every event reaches both, and a verification moves as if one server had heard it.
let testDb: TestDb;
const clock = { now: Date.UTC(2026, 10, 24, 6, 0, 0) };
let pbxs: ScriptedAmi[] = [];
let clients: AmiClient[] = [];
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

beforeAll(async () => {
  testDb = await openSqliteTestDb();
  await seedDemo(testDb.db, clock.now);
}, 30_000);

afterAll(async () => {
  await testDb?.close();
});

afterEach(async () => {
  for (const client of clients) client.close();
  for (const pbx of pbxs) await pbx.close();
  clients = [];
  pbxs = [];
  await testDb.db("verifications").delete();
});

/** Server i's service, attached to its own AMI connection to each PBX. */
async function servers(count: number, ownCallsOnly: boolean): Promise<VerificationService[]> {
  pbxs = await Promise.all([startScriptedAmi(), startScriptedAmi()]);
  const services: VerificationService[] = [];
  for (let i = 0; i < count; i++) {
    const service = new VerificationService({ db: testDb.db, now: () => clock.now, log: silent, ownCallsOnly });
    for (const pbx of pbxs) {
      const client = new AmiClient({ host: "127.0.0.1", port: pbx.port, username: "u", secret: "s", pingIntervalMs: 0 });
      await client.connect();
      service.attach(client);
      clients.push(client);
    }
    services.push(service);
  }
  return services;
}

async function owner(): Promise<{ companyId: number; userId: number }> {
  const user = await findUserByEmail(testDb.db, demoCredentials.sales.email);
  if (user === undefined) throw new Error("no demo user");
  return { companyId: user.companyId, userId: user.id };
}

const originatesOn = (pbx: ScriptedAmi | undefined): number => pbx?.actions.filter((a) => a.get("action")?.toLowerCase() === "originate").length ?? 0;

/** The PBX that got the Originate sends the events of its call; every server hears them. */
async function wrongCode(services: VerificationService[], pbx: ScriptedAmi, id: string): Promise<void> {
  pbx.send({ Event: "DialEnd", Linkedid: channelIdFor(id), DialStatus: "ANSWER" });
  pbx.send({ Event: "UserEvent", UserEvent: "CallerVerify", VerifyId: id, Digits: "000000", Status: "OK" });
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (const service of services) await service.whenIdle();
}

describe("verification with several servers and PBXs", () => {
  it("counts a wrong code once, applied by the server that placed the call", async () => {
    const services = await servers(3, true);
    const { verification } = await services[0]!.start(await owner(), { country: "US", number: "(201) 555-0123" });
    const pbx = pbxs.find((p) => originatesOn(p) === 1);
    expect(pbx).toBeDefined();
    await wrongCode(services, pbx!, verification.id);
    const stored = await testDb.db("verifications").where({ id: verification.id }).first<{ state: string; attempts: number }>();
    expect(stored).toMatchObject({ state: "wrong_code", attempts: 1 });
  });

  it("without it, every server would count the same wrong code (three servers: too many attempts)", async () => {
    const services = await servers(3, false);
    const { verification } = await services[0]!.start(await owner(), { country: "US", number: "(201) 555-0124" });
    await wrongCode(services, pbxs.find((p) => originatesOn(p) === 1)!, verification.id);
    const stored = await testDb.db("verifications").where({ id: verification.id }).first<{ attempts: number }>();
    expect(stored?.attempts).toBeGreaterThan(1);
  });

  it("places calls on the PBXs in turn, and on the other one when one is down", async () => {
    const [service] = await servers(1, true);
    const who = await owner();
    await service!.start(who, { country: "US", number: "(201) 555-0125" });
    await service!.start(who, { country: "US", number: "(201) 555-0126" });
    expect(pbxs.map(originatesOn)).toEqual([1, 1]);
    clients[0]!.close();
    await service!.start(who, { country: "US", number: "(201) 555-0127" });
    await service!.start(who, { country: "US", number: "(201) 555-0128" });
    expect(pbxs.map(originatesOn)).toEqual([1, 3]);
  });
});
