import { rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { completedMigrations } from "./migrations/migrate-to";
import { migrationNames } from "./migrations/migration-source";
import { defaultStoreClient, storeClients } from "./open-knex";
import { openStore } from "./open-store";
import type { Store } from "./open-store";
import { getSetting, setSetting } from "./settings-repo";
import { makeTempDir } from "./temp-store";
import { z } from "zod";

const dirs: string[] = [];
const opened: Store[] = [];

async function freshFile(...parts: string[]): Promise<string> {
  const dir = await makeTempDir();
  dirs.push(dir);
  return join(dir, ...parts);
}

async function open(file: string, client?: (typeof storeClients)[number]): Promise<Store> {
  const store = await openStore(client ? { file, client } : { file });
  opened.push(store);
  return store;
}

async function pragma(store: Store, name: string): Promise<unknown> {
  const rows = await store.knex.raw<Record<string, unknown>[]>(`PRAGMA ${name}`);
  return rows[0] ? Object.values(rows[0])[0] : undefined;
}

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe.each(storeClients)("openStore with %s", (client) => {
  it("creates the file and its missing parent directories, and applies every migration", async () => {
    const file = await freshFile("nested", "deeper", "store.sqlite");
    const store = await open(file, client);
    expect(existsSync(file)).toBe(true);
    expect(await completedMigrations(store.knex)).toEqual(migrationNames);
    const tables = await store.knex("sqlite_master").where({ type: "table" }).pluck("name");
    expect(tables).toEqual(expect.arrayContaining(["settings", "session", "sync_state", "calls", "outbox"]));
  });

  it("runs in WAL mode with synchronous=NORMAL, foreign keys on and a 5 s busy timeout", async () => {
    const store = await open(await freshFile("store.sqlite"), client);
    expect(await pragma(store, "journal_mode")).toBe("wal");
    expect(await pragma(store, "synchronous")).toBe(1);
    expect(await pragma(store, "foreign_keys")).toBe(1);
    expect(await pragma(store, "busy_timeout")).toBe(5000);
  });

  it("keeps data across a close and reopen, without migrating twice", async () => {
    const file = await freshFile("store.sqlite");
    const first = await open(file, client);
    await setSetting(first.knex, "greeting", "hello");
    await first.close();
    opened.splice(opened.indexOf(first), 1);

    const second = await open(file, client);
    expect(await getSetting(second.knex, "greeting", z.string(), "none")).toBe("hello");
    expect(await second.knex("knex_migrations").count({ n: "*" }).first()).toEqual({ n: migrationNames.length });
  });
});

describe("openStore", () => {
  it("uses the benchmark's winner when no client is named", async () => {
    const store = await open(await freshFile("store.sqlite"));
    expect(store.client).toBe(defaultStoreClient);
  });

  it("opens a file written by the other client: the choice of driver never strands data", async () => {
    const file = await freshFile("store.sqlite");
    const [writer, reader] = storeClients;
    const first = await open(file, writer);
    await setSetting(first.knex, "k", [1, 2, 3]);
    await first.close();
    opened.splice(opened.indexOf(first), 1);

    const second = await open(file, reader);
    expect(await getSetting(second.knex, "k", z.array(z.number()), [])).toEqual([1, 2, 3]);
  });
});
