import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { seedDemoCompanyCrm } from "../src-server/crm/demo-crm";
import { migrateToLatest } from "../src-server/db/migrate";
import { openDatabase } from "../src-server/db/open-database";
import { demoCredentials, seedDemo } from "../src-server/seed/demo";
import { startHostProcess, startServerProcess, type RunningHost, type RunningProcess } from "./support/app";
import { newPage, openJaneCooper, signIn } from "./support/browser";
import { readRow } from "./support/sqlite-read";

// Fault tests for the desktop's sync (issue 8): the host process killed with SIGKILL mid-sync and with edits queued offline.
const callCount = 20_000;
const t0 = Date.UTC(2026, 9, 1);
const numberOf = (i: number): string => `+8150${String(i).padStart(8, "0")}`;
const editedCall = 4321;

let dir: string;
let server: RunningProcess;
const hosts: RunningHost[] = [];
const contexts: BrowserContext[] = [];
let salesId = 0;

/** The demo company and 20,000 of Sora Sales's calls, written straight into the server's SQLite file before it starts. */
async function seedServer(file: string): Promise<void> {
  const db = await openDatabase({ kind: "sqlite", file });
  try {
    await migrateToLatest(db);
    await seedDemo(db, t0);
    await seedDemoCompanyCrm(db, t0);
    const user = await db("users").where({ email: demoCredentials.sales.email }).first<{ id: number; company_id: number }>();
    salesId = user.id;
    for (let start = 0; start < callCount; start += 250) {
      await db.transaction(async (trx) => {
        const rows = Array.from({ length: Math.min(250, callCount - start) }, (_, k) => {
          const i = start + k;
          return {
            company_id: user.company_id, user_id: user.id, pbx_uniqueid: `fault-${i}`, client_call_id: null, number: numberOf(i), direction: "outbound", status: "ended",
            started_at: t0 + i * 60_000, answered_at: t0 + i * 60_000, ended_at: t0 + i * 60_000 + 30_000, billed_seconds: 30, disposition: "answered", cost_micros: 6_000, updated_at: t0,
          };
        });
        const ids = await trx("calls").insert(rows).returning<{ id: number }[]>("id");
        await trx("changes").insert(
          ids.map(({ id }, k) => {
            const r = rows[k]!;
            const data = { id: String(id), direction: r.direction, number: r.number, startedAt: r.started_at, answeredAt: r.answered_at, endedAt: r.ended_at, billedSeconds: 30, disposition: "answered", costMicros: 6_000, outcome: null, notes: null, userId: String(user.id) };
            return { company_id: user.company_id, audience_user_id: user.id, audience_admins: true, entity: "call", entity_id: String(id), op: "upsert", data: JSON.stringify(data), at: t0 };
          }),
        );
      });
    }
  } finally {
    await db.destroy();
  }
}

// Every query here returns a row (counts, sums, a known call): a missing one fails the assertion that reads it.
const query = <T>(file: string, sql: string, ...params: unknown[]): T => readRow<T>(file, sql, ...params)!;
const serverFile = () => join(dir, "server.sqlite");
const desktopFile = (name: string) => join(dir, name, "desktop", "caller.sqlite");
const serverCalls = () => query<{ n: number }>(serverFile(), "select count(*) as n from calls where user_id = ?", salesId).n;
const localCalls = (name: string) => query<{ n: number; ids: number }>(desktopFile(name), "select count(*) as n, count(distinct id) as ids from calls");

async function startHost(name: string): Promise<RunningHost> {
  const host = await startHostProcess(server.url, join(dir, name));
  hosts.push(host);
  return host;
}

/** kill -9 of the host's process group: no shutdown code runs. */
async function killHard(host: RunningProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => host.child.once("exit", () => resolve()));
  process.kill(-host.child.pid!, "SIGKILL");
  await exited;
}

async function openApp(host: RunningHost, signInFirst: boolean): Promise<Page> {
  const { context, page } = await newPage("en-US");
  contexts.push(context);
  page.on("pageerror", (e) => console.log(`[app page error] ${e.message}`));
  await page.goto(await host.launchUrl());
  if (signInFirst) await signIn(page, demoCredentials.sales.email, demoCredentials.sales.password);
  return page;
}

async function syncDone(page: Page): Promise<void> {
  const badge = page.getByTestId("sync-state");
  // One poll: "idle" also shows before the first sync starts ("Not synced yet"); only "Synced …" follows a whole run.
  const state = async () => `${await badge.getAttribute("data-status")}/${await badge.getAttribute("data-pending")}/${(await badge.textContent())?.startsWith("Synced ") === true ? "synced" : "not yet"}`;
  await expect.poll(state, { timeout: 90_000 }).toBe("idle/0/synced");
}

/** The editor closes once the edit is saved on this device; if it stays, its error says why. */
async function saved(page: Page, editor: "call-editor" | "contact-editor"): Promise<void> {
  await page.getByTestId(editor === "call-editor" ? "call-edit-save" : "contact-edit-save").click();
  await expect.poll(async () => ((await page.getByTestId(editor).count()) === 0 ? "closed" : ((await page.getByRole("alert").allTextContents()).join(" ") || "open")), { timeout: 15_000 }).toBe("closed");
}

async function findCall(page: Page) {
  await page.getByTestId("crm-tab-history").click();
  await page.getByTestId("history-search").fill(numberOf(editedCall).slice(3));
  await expect.poll(() => page.getByTestId("history-totals").getAttribute("data-count"), { timeout: 15_000 }).toBe("1");
  const row = page.getByTestId("history-list").getByTestId("history-item").filter({ has: page.locator(`[data-e164="${numberOf(editedCall)}"]`) });
  // Notes and the edit button are in the row's details.
  const toggle = row.getByTestId("history-details-toggle");
  if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  return row;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "caller-sync-faults-"));
  await seedServer(serverFile());
  server = await startServerProcess(dir);
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  for (const host of hosts) await host.stop();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("sync under faults", () => {
  it("the host killed with SIGKILL mid initial sync resumes after a restart: every call once, nothing missing, sync done", async () => {
    const first = await startHost("a");
    await openApp(first, true);
    // Polled fast: 20 pages of 1,000 take a few seconds; kill as soon as the first pages are in.
    let during = 0;
    for (const deadline = Date.now() + 60_000; during < 1 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      during = localCalls("a").n;
    }
    expect(during).toBeGreaterThanOrEqual(1);
    expect(during).toBeLessThan(callCount);
    await killHard(first);
    const atKill = localCalls("a").n;
    console.log(`[sync-faults] killed with ${atKill} of ${callCount} calls mirrored`);
    expect(atKill).toBeLessThan(callCount);

    const again = await startHost("a");
    const page = await openApp(again, false);
    await syncDone(page);
    const local = localCalls("a");
    expect(local).toEqual({ n: serverCalls(), ids: serverCalls() });
    expect(serverCalls()).toBe(callCount);
    // Same ids on both sides, not just the same count.
    const serverIds = query<{ s: number }>(serverFile(), "select sum(id) as s from calls where user_id = ?", salesId).s;
    expect(query<{ s: number }>(desktopFile("a"), "select sum(cast(id as integer)) as s from calls").s).toBe(serverIds);
  }, 240_000);

  it("an outcome, a note and a contact field edited with the server down reach it exactly once after a SIGKILL and restarts, and a second desktop shows them", async () => {
    const page = await openApp(hosts.at(-1)!, false);
    await syncDone(page);
    // Opened once online, so the outcome list is on this device.
    let row = await findCall(page);
    await row.getByTestId("history-edit").click();
    await expect.poll(() => page.getByTestId("call-edit-outcome").locator("option").count()).toBeGreaterThan(1);
    await page.getByRole("button", { name: "Cancel" }).click();

    const port = new URL(server.url).port;
    await server.stop();
    const editedAt = Date.now();
    await row.getByTestId("history-edit").click();
    await page.getByTestId("call-edit-outcome").selectOption({ label: "Busy" });
    await saved(page, "call-editor");
    await expect.poll(() => row.getByTestId("history-outcome").textContent()).toBe("Busy");
    await row.getByTestId("history-edit").click();
    await page.getByTestId("call-edit-notes").fill("call back after lunch 昼食後に折り返し");
    await saved(page, "call-editor");
    await expect.poll(() => row.getByTestId("history-notes").textContent()).toBe("call back after lunch 昼食後に折り返し");
    await openJaneCooper(page);
    await page.getByTestId("contact-edit").click();
    await page.getByTestId("contact-edit-email").fill("jane@offline.example");
    await saved(page, "contact-editor");
    await expect.poll(() => page.getByTestId("contact-email").textContent()).toBe("jane@offline.example");
    await expect.poll(() => page.getByTestId("sync-state").getAttribute("data-pending"), { timeout: 20_000 }).toBe("3");
    // Found offline by a Japanese word inside the note (trigram index).
    row = await findCall(page);
    await page.getByTestId("history-search").fill("折り返し");
    await expect.poll(() => page.getByTestId("history-totals").getAttribute("data-count")).toBe("1");

    await killHard(hosts.at(-1)!);
    server = await startServerProcess(dir, ["--port", port]);
    const restarted = await startHost("a");
    const after = await openApp(restarted, false);
    await syncDone(after);

    const callId = query<{ id: number }>(serverFile(), "select id from calls where number = ?", numberOf(editedCall)).id;
    expect(query(serverFile(), "select outcome_name, outcome_key, outcome_notes from calls where id = ?", callId)).toEqual({ outcome_name: null, outcome_key: "busy", outcome_notes: "call back after lunch 昼食後に折り返し" });
    expect(query(serverFile(), "select email from crm_people where name = 'Jane Cooper'")).toEqual({ email: "jane@offline.example" });
    // Exactly once: one applied key per edit, one feed entry per edit.
    expect(query(serverFile(), "select count(*) as n from sync_edit_requests where received_at >= ?", editedAt)).toEqual({ n: 3 });
    expect(query(serverFile(), "select count(*) as n from changes where entity = 'call' and entity_id = ? and at >= ?", String(callId), editedAt)).toEqual({ n: 2 });
    expect(query(serverFile(), "select count(*) as n from changes where entity = 'person' and at >= ?", editedAt)).toEqual({ n: 1 });
    expect(query(desktopFile("a"), "select count(*) as n from outbox")).toEqual({ n: 0 });

    const second = await startHost("b");
    const other = await openApp(second, true);
    await syncDone(other);
    const otherRow = await findCall(other);
    await expect.poll(() => otherRow.getByTestId("history-outcome").textContent()).toBe("Busy");
    await expect.poll(() => otherRow.getByTestId("history-notes").textContent()).toBe("call back after lunch 昼食後に折り返し");
    await openJaneCooper(other);
    await expect.poll(() => other.getByTestId("contact-email").textContent()).toBe("jane@offline.example");
    expect(localCalls("b")).toEqual(localCalls("a"));
    expect(localCalls("b").n).toBe(serverCalls());
  }, 300_000);
});
