import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The core against the real company server, in-process over loopback HTTP (test only).
// eslint-disable-next-line no-restricted-imports -- the server under test, not code the core uses
import { startTestServer, demoCredentials, type TestServer } from "../../../src-server/test-support/test-server";
// eslint-disable-next-line no-restricted-imports -- the server's demo contacts, seeded for the test
import { seedDemoCompanyCrm } from "../../../src-server/crm/demo-crm";
import { createCore, type Core } from "../create-core";

let server: TestServer;
let dir: string;
let core: Core;

beforeAll(async () => {
  server = await startTestServer({ listen: true, realClock: true });
  await seedDemoCompanyCrm(server.db, Date.now());
  dir = await mkdtemp(join(tmpdir(), "caller-call-context-"));
  core = await createCore({ dataDir: dir, serverUrl: server.url, shell: "node-host", version: "test" });
  await core.handlers.signIn({ email: demoCredentials.sales.email, password: demoCredentials.sales.password });
  await core.handlers.syncNow({});
}, 30_000);

afterAll(async () => {
  await core?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the call screen's context for a call", () => {
  it("finds the person by the exact number in the local mirror, with their organization and deal", async () => {
    const context = await core.handlers.getCallContext({ clientCallId: randomUUID(), number: "+12015550124", dialedAt: Date.now() });
    expect(context.contact).toEqual({ source: "number", personName: "Jane Cooper", organizationName: "Acme Corporation", dealTitle: "Acme annual licence", lastNote: null });
    expect(context.record).toBeNull();
  });

  it("knows nobody for a number no contact has", async () => {
    expect((await core.handlers.getCallContext({ clientCallId: randomUUID(), number: "+12015550999", dialedAt: Date.now() })).contact).toBeNull();
  });

  it("takes the deal page the call was placed from over the number's owner", async () => {
    const [deal] = (await core.handlers.listDeals({ query: "", limit: 50 })).deals.filter((d) => d.personName !== "Jane Cooper");
    expect(deal).toBeDefined();
    await core.handlers.dialFromCrm({ number: "+12015550124", contactId: null, dealId: deal!.id });
    const clientCallId = randomUUID();
    await core.handlers.linkDialedCall({ clientCallId, number: "+12015550124" }).catch(() => ({ linked: false }));
    const context = await core.handlers.getCallContext({ clientCallId, number: "+12015550124", dialedAt: Date.now() });
    expect(context.contact).toMatchObject({ source: "page", dealTitle: deal!.title, personName: deal!.personName });
  });
});
