import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionState } from "../../../src-shared/api/contract";
import { CallerError } from "../../../src-shared/errors";
// The core's operator area against the real company server over loopback HTTP (test only).
// eslint-disable-next-line no-restricted-imports -- the server under test, not code the core uses
import { startTestServer, demoCredentials, type TestServer } from "../../../src-server/test-support/test-server";
import { createCore, type Core } from "../create-core";

let server: TestServer;
let dir: string;
let operator: Core;
let admin: Core;

beforeAll(async () => {
  server = await startTestServer({ listen: true });
  dir = await mkdtemp(join(tmpdir(), "caller-operator-"));
  operator = await createCore({ dataDir: join(dir, "operator"), serverUrl: server.url, shell: "node-host", version: "test" });
  admin = await createCore({ dataDir: join(dir, "admin"), serverUrl: server.url, shell: "node-host", version: "test" });
  await admin.handlers.signIn(demoCredentials.admin);
}, 30_000);

afterAll(async () => {
  await operator?.close();
  await admin?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (e: unknown) => (e instanceof CallerError ? e.code : String(e)),
  );

describe("the core signed in as the operator", () => {
  it("tells the operator's sign-in apart: no user session, the operator's account, and only operator methods work", async () => {
    const states: SessionState[] = [];
    const off = operator.events.on("sessionChanged", (s) => states.push(s));
    const state = await operator.handlers.signIn(demoCredentials.operator);
    off();
    expect(state).toEqual({ signedIn: false, serverUrl: server.url, operator: { id: expect.any(Number) as number, email: "operator@demo.example", name: "Demo Operator" } });
    expect(states.at(-1)).toEqual(state);
    expect(JSON.stringify(state)).not.toMatch(/token/i);
    // Company methods have no user session to use.
    expect(await codeOf(operator.handlers.getCredits({}))).toBe("not_signed_in");
    expect(await codeOf(operator.handlers.getSipConfig({}))).toBe("not_signed_in");
    // An admin's core has no operator session.
    expect(await codeOf(admin.handlers.operatorListCompanies({}))).toBe("not_signed_in");

    const { companies } = await operator.handlers.operatorListCompanies({});
    expect(companies.map((c) => c.name)).toEqual(expect.arrayContaining(["Demo K.K.", "Other Co."]));
  });

  it("previews and imports a tariff the admin then sees read-only, and restores the earlier version", async () => {
    const { csv } = await operator.handlers.operatorExportRatesCsv({});
    const edited = csv.replace(/^1,United States and Canada,other,0\.013,/m, "1,United States and Canada,other,0.02,");
    const preview = await operator.handlers.operatorPreviewTariff({ fileName: "us.csv", csv: edited });
    expect(preview.counts).toMatchObject({ added: 0, changed: 1, removed: 0 });
    const imported = await operator.handlers.operatorImportTariff({ fileName: "us.csv", csv: edited, acceptValidRows: false, basedOn: preview.basedOn });
    expect(imported.version).not.toBeNull();
    expect((await admin.handlers.listRates({ q: "1" })).rates[0]).toMatchObject({ prefix: "1", ratePerMinuteMicros: 20_000 });
    const restored = await operator.handlers.operatorRestoreTariff({ version: preview.basedOn! });
    expect((await operator.handlers.operatorListTariffVersions({})).current).toBe(restored.version);
    expect((await admin.handlers.listRates({ q: "1" })).rates[0]).toMatchObject({ ratePerMinuteMicros: 13_000 });
  });

  it("signs out on the server too, and an expired operator session brings back the sign-in", async () => {
    await operator.handlers.signOut({});
    expect(await operator.handlers.getSession({})).toEqual({ signedIn: false, serverUrl: server.url, operator: null });
    expect(await server.db("operator_sessions")).toEqual([]);

    await operator.handlers.signIn(demoCredentials.operator);
    await server.db("operator_sessions").delete();
    const ended = new Promise<SessionState>((resolve) => operator.events.on("sessionChanged", resolve));
    expect(await codeOf(operator.handlers.operatorListBlocks({}))).toBe("unauthenticated");
    expect(await ended).toMatchObject({ signedIn: false, operator: null });
  });
});
