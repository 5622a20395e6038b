import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Company, User } from "../../src-shared/domain/company";
import { openStore } from "../core/store/open-store";
import { saveSession } from "../core/store/session-repo";

// main.ts against a fake Electron and a fake core, with a real store in userData:
// a signed-in user's window opens and gets its first answers before the core loads.
const fake = await vi.hoisted(async () => (await import("./fake-electron")).createFakeElectron());
vi.mock("electron", () => fake.electron);
vi.mock("../core/create-core", () => ({ createCore: fake.createCore }));
vi.setConfig({ testTimeout: 30_000 });

const user: User = { id: 7, companyId: 3, email: "sales@demo.example", name: "Sato Sales", role: "regular", locale: "ja" };
const company: Company = { id: 3, name: "Demo K.K.", plan: "professional", isTrial: false, country: "JP", currency: "USD", timeZone: "Asia/Tokyo" };

/** Starts main.ts with a store whose token is sealed under `sealedWith` (the fake keyring's key is "key-1"). */
async function startSignedIn(sealedWith: string) {
  fake.reset({ lockGranted: true, args: [] });
  vi.resetModules();
  await import("./main");
  const store = await openStore({ file: path.join(fake.electron.app.getPath("userData"), "caller.sqlite") });
  try {
    const sealed = Buffer.from(`${sealedWith}:${Buffer.from("tok-1").toString("hex")}`).toString("base64");
    await saveSession(store.knex, { serverUrl: "https://caller.example.com", token: { scheme: "safe-storage", value: sealed }, user, company, callerEnabled: true });
  } finally {
    await store.close();
  }
  fake.state.resolveReady();
}

const fromOurPage = () => ({ sender: fake.state.windows[0]!.webContents, senderFrame: { url: "app://caller/index.html", parent: null, isDestroyed: () => false } });

beforeEach(() => {
  vi.stubEnv("CALLER_SERVER_URL", "");
  vi.stubEnv("CALLER_PBX_URL", "");
  vi.stubEnv("CALLER_CONNECT_SOURCES", "");
});
afterEach(() => {
  vi.unstubAllEnvs();
  fake.restoreProcess();
});

describe("the Electron window of a signed-in user", () => {
  it("opens before the core loads, gets its session, settings and sync state from the store, then the core starts and tells its own state", async () => {
    await startSignedIn("key-1");
    await vi.waitFor(() => expect(fake.state.windows.length).toBeGreaterThan(0));
    expect(fake.state.log).not.toContain("createCore");
    const call = (method: string) => fake.state.ipc.get(`caller:${method}`)!(fromOurPage(), {});
    await expect(call("getSession")).resolves.toMatchObject({ ok: true, value: { signedIn: true, serverUrl: "https://caller.example.com", user: { email: user.email }, company: { name: company.name } } });
    await expect(call("getSettings")).resolves.toEqual({ ok: true, value: { language: null, defaultCountry: null } });
    await expect(call("getSyncState")).resolves.toMatchObject({ ok: true, value: { status: "syncing" } });
    expect(fake.state.log).not.toContain("createCore");
    // The page has what it needs to draw: now the core loads, and the page hears its state.
    await vi.waitFor(() => expect(fake.state.log).toContain("createCore"));
    const sent = fake.state.windows[0]!.webContents.sent;
    await vi.waitFor(() => expect(sent.map(([channel]) => channel)).toEqual(expect.arrayContaining(["caller:event:sessionChanged", "caller:event:syncChanged"])));
    await expect(call("getSession")).resolves.toEqual({ ok: true, value: fake.state.session });
  });

  it("waits for the core, as before, when the store's token is sealed under a key this session cannot use", async () => {
    await startSignedIn("another-key");
    await vi.waitFor(() => expect(fake.state.windows.length).toBeGreaterThan(0));
    expect(fake.state.log.indexOf("createCore")).toBeGreaterThanOrEqual(0);
    expect(fake.state.log.indexOf("createCore")).toBeLessThan(fake.state.log.indexOf("new BrowserWindow"));
  });
});
