import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Company, User } from "../../src-shared/domain/company";
import { createCore, type Core } from "../core/create-core";
import { openStore } from "../core/store/open-store";
import { clearSession, saveSession } from "../core/store/session-repo";
import { setSetting } from "../core/store/settings-repo";
import { saveSyncState } from "../core/store/sync-repo";
import { readEarlyAnswers } from "./early-answers";
import { startHost } from "./host";
import { pageEndpoint, type PageEndpoint } from "./page-endpoint";
import { rawText } from "./ws-transport";

const user: User = { id: 7, companyId: 3, email: "sales@demo.example", name: "Sato Sales", role: "regular", locale: "ja" };
const company: Company = { id: 3, name: "Demo K.K.", plan: "professional", isTrial: false, country: "JP", currency: "USD", timeZone: "Asia/Tokyo" };

let dir: string;
let dataDir: string;
let file: string;

/** A store as the core leaves it: migrated, then written through the core's own repositories. */
async function writeStore(write: (db: Awaited<ReturnType<typeof openStore>>["knex"]) => Promise<void>): Promise<void> {
  const store = await openStore({ file });
  try {
    await write(store.knex);
  } finally {
    await store.close();
  }
}

const signedIn = (db: Awaited<ReturnType<typeof openStore>>["knex"], scheme: "plain" | "safe-storage" = "plain") =>
  saveSession(db, { serverUrl: "https://caller.example.com", token: { scheme, value: "tok-1" }, user, company, callerEnabled: true });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "caller-early-"));
  dataDir = join(dir, "data");
  file = join(dataDir, "caller.sqlite");
  await writeFile(join(dir, "index.html"), "<!doctype html><title>t</title>");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the page's first answers, read from the store before the core is up", () => {
  it("are what the core answers for a signed-in store", async () => {
    await writeStore(async (db) => {
      await signedIn(db);
      await setSetting(db, "settings", { language: "ja", theme: "dark", defaultCountry: "US" });
      await saveSyncState(db, { lastSeq: 42, lastSyncedAt: 1_700_000_000_000 });
    });
    const early = readEarlyAnswers(file);
    expect(early).not.toBeNull();
    const core = await createCore({ dataDir, serverUrl: null, shell: "node-host", version: "test" });
    try {
      expect(early?.getSession).toEqual(await core.handlers.getSession({}));
      expect(early?.getSettings).toEqual(await core.handlers.getSettings({}));
      // The same figures; the status is "syncing" until the core, which syncs first thing, tells its own.
      expect(early?.getSyncState).toEqual({ ...(await core.handlers.getSyncState({})), status: "syncing" });
    } finally {
      await core.close();
    }
  });

  it("are none when nobody is signed in, the token is in a scheme the host cannot read, or the settings are invalid", async () => {
    expect(readEarlyAnswers(join(dir, "missing.sqlite"))).toBeNull();
    await writeStore((db) => clearSession(db));
    expect(readEarlyAnswers(file)).toBeNull();
    await writeStore((db) => signedIn(db, "safe-storage"));
    expect(readEarlyAnswers(file)).toBeNull();
    await writeStore(async (db) => {
      await signedIn(db);
      await setSetting(db, "settings", { language: "fr", defaultCountry: null });
    });
    expect(readEarlyAnswers(file)).toBeNull();
    // A user row the core's schema refuses reads as signed out there, so here too.
    await writeStore(async (db) => {
      await setSetting(db, "settings", { language: null, defaultCountry: null });
      await db("session").update({ user_json: JSON.stringify({ ...user, role: "owner" }) });
    });
    expect(readEarlyAnswers(file)).toBeNull();
    await writeStore((db) => signedIn(db));
    expect(readEarlyAnswers(file)).not.toBeNull();
  });
});

describe("a host that answers the page's first calls while its core starts", () => {
  it("answers them at once, holds every other call for the core, asks for the core once all three are answered, and sends the core's own state when it is up", async () => {
    await writeStore(async (db) => {
      await signedIn(db);
      await setSetting(db, "settings", { language: "en", defaultCountry: null });
    });
    const answers = readEarlyAnswers(file);
    let wanted = 0;
    let coreStarted: (endpoint: PageEndpoint) => void = () => undefined;
    const host = await startHost({
      endpoint: new Promise<PageEndpoint>((resolve) => (coreStarted = resolve)),
      rendererDir: dir,
      early: { answers: () => answers, wantCore: () => (wanted += 1), pageLoading: () => undefined },
    });
    const launch = await fetch(host.launchUrl(10_000), { redirect: "manual" });
    const cookie = launch.headers.getSetCookie()[0]?.split(";")[0] ?? "";
    const ws = new WebSocket(`${host.origin.replace("http", "ws")}/api`, ["caller-v1"], { headers: { origin: host.origin, cookie } });
    const messages: { t: string; id?: number; event?: string; envelope?: unknown; payload?: unknown }[] = [];
    ws.on("message", (data) => messages.push(JSON.parse(rawText(data)) as (typeof messages)[number]));
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    const result = (id: number) => messages.find((m) => m.t === "result" && m.id === id)?.envelope;
    let core: Core | null = null;
    try {
      const send = (id: number, method: string) => ws.send(JSON.stringify({ t: "call", id, method, request: {} }));
      send(1, "getSession");
      send(2, "getSettings");
      await expect.poll(() => result(2)).toEqual({ ok: true, value: { language: "en", defaultCountry: null } });
      expect(result(1)).toEqual({ ok: true, value: { signedIn: true, serverUrl: "https://caller.example.com", user, company, callerEnabled: true } });
      expect(wanted).toBe(0);
      send(3, "getSyncState");
      await expect.poll(() => wanted).toBe(1);
      expect(result(3)).toEqual({ ok: true, value: answers?.getSyncState });
      expect(answers?.getSyncState).toMatchObject({ status: "syncing" });

      send(4, "getAppInfo");
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(result(4)).toBeUndefined();

      // Meanwhile the session ended (the core found it so): the page hears it as soon as the core is up.
      await writeStore((db) => clearSession(db));
      core = await createCore({ dataDir, serverUrl: null, shell: "node-host", version: "test" });
      coreStarted(pageEndpoint(core));
      await expect.poll(() => result(4)).toMatchObject({ ok: true, value: { shell: "node-host" } });
      const events = messages.filter((m) => m.t === "event");
      expect(events.map((m) => m.event)).toEqual(["sessionChanged", "syncChanged"]);
      expect(events[0]?.payload).toMatchObject({ signedIn: false });
      // The core answers from now on.
      send(5, "getSession");
      await expect.poll(() => result(5)).toMatchObject({ ok: true, value: { signedIn: false } });
    } finally {
      ws.close();
      await host.close();
      await core?.close();
    }
  });
});
