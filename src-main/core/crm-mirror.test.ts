import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HistoryCall } from "../../src-shared/api/contract";
import type { Change, ChangesReply } from "../../src-shared/server-api/changes";
import type { Deal, Organization, Person } from "../../src-shared/server-api/crm";
import { createEventHub } from "./event-hub";
import type { SessionService } from "./session-service";
import { getLocalDeal, getLocalPerson, listLocalPeople } from "./store/crm-repo";
import { countCalls } from "./store/calls-repo";
import { searchCalls } from "./store/history-search";
import { storeClients } from "./store/open-knex";
import { getSyncState } from "./store/sync-repo";
import { openTempStore, type TempStore } from "./store/temp-store";
import { OutboxFlusher } from "./outbox-flusher";
import { SyncService } from "./sync-service";

const at = Date.UTC(2026, 10, 24, 0, 0, 0);
const org: Organization = { id: "3", name: "Acme Corporation", phones: [{ number: "+12015550100", label: "work" }], updatedAt: at };
const jane: Person = { id: "1", name: "Jane Cooper", email: "jane@acme.example", organizationId: "3", organizationName: "Acme Corporation", phones: [{ number: "+12015550123", label: "work" }, { number: "+12015550124", label: "mobile" }], updatedAt: at };
const deal: Deal = { id: "9", title: "Acme licence", personId: "1", personName: "Jane Cooper", organizationId: "3", organizationName: "Acme Corporation", valueMicros: 5_000_000, stage: "proposal", updatedAt: at };
const call: HistoryCall = { id: "40", direction: "outbound", number: "+12015550123", startedAt: at, answeredAt: at, endedAt: at + 30_000, billedSeconds: 30, disposition: "answered", costMicros: 6_000, outcome: null, notes: null, contactId: "1", contactName: "Jane Cooper", dealId: "9", dealTitle: "Acme licence" };

const feed: Change[] = [
  { seq: 1, entity: "organization", entityId: "3", op: "upsert", data: org, at },
  { seq: 2, entity: "person", entityId: "1", op: "upsert", data: jane, at },
  { seq: 3, entity: "deal", entityId: "9", op: "upsert", data: deal, at },
  { seq: 4, entity: "call", entityId: "40", op: "upsert", data: call, at },
  { seq: 5, entity: "person", entityId: "1", op: "upsert", data: { ...jane, name: "Jane Cooper-Smith" }, at },
  { seq: 6, entity: "deal", entityId: "9", op: "upsert", data: { ...deal, stage: "won" }, at },
];

/** The server's feed in pages of three, whatever limit the client asks for. */
function fakeSession(): SessionService {
  const request = (_schema: unknown, _method: string, path: string): Promise<ChangesReply> => {
    const since = Number(new URL(path, "http://127.0.0.1").searchParams.get("since"));
    const changes = feed.filter((c) => c.seq > since).slice(0, 3);
    return Promise.resolve({ changes, next: changes.at(-1)?.seq ?? since, hasMore: feed.some((c) => c.seq > (changes.at(-1)?.seq ?? since)) });
  };
  const state = () => Promise.resolve({ signedIn: true, user: { id: 2, role: "regular" } });
  return { signedIn: { client: { request }, token: "t" }, refresh: () => Promise.resolve(), state } as unknown as SessionService;
}

function syncOver(store: TempStore): SyncService {
  const session = fakeSession();
  return new SyncService(store.knex, session, createEventHub(), new OutboxFlusher(store.knex, session));
}

describe.each(storeClients)("the CRM mirror on %s", (client) => {
  let store: TempStore;
  beforeEach(async () => {
    store = await openTempStore(client);
  });
  afterEach(() => store.dispose());

  it("applies people, organizations, deals and linked calls from the change feed", async () => {
    const sync = syncOver(store);
    expect(await sync.syncNow()).toMatchObject({ status: "idle", lastSeq: 6 });
    expect(await getLocalPerson(store.knex, "1")).toMatchObject({ name: "Jane Cooper-Smith", organizationName: "Acme Corporation", phones: jane.phones });
    expect(await getLocalDeal(store.knex, "9")).toMatchObject({ stage: "won", personName: "Jane Cooper-Smith" });
    expect((await listLocalPeople(store.knex, "550124", 10)).map((p) => p.id)).toEqual(["1"]);
    const [found] = await searchCalls(store.knex, { query: "cooper-smith" }, { limit: 5 });
    expect(found).toMatchObject({ id: "40", contactId: "1", contactName: "Jane Cooper-Smith", dealTitle: "Acme licence" });
  });

  it("a crash mid-page leaves nothing of that page, and the next sync resumes it exactly once", async () => {
    // Stands in for the process dying inside the second page's transaction.
    await store.knex.raw("CREATE TRIGGER crash BEFORE UPDATE ON deals BEGIN SELECT RAISE(ABORT, 'simulated crash'); END");
    const sync = syncOver(store);
    expect(await sync.syncNow()).toMatchObject({ status: "error", lastSeq: 3 });
    expect((await getSyncState(store.knex)).lastSeq).toBe(3);
    expect(await countCalls(store.knex)).toBe(0);
    expect((await getLocalPerson(store.knex, "1"))?.name).toBe("Jane Cooper");

    await store.knex.raw("DROP TRIGGER crash");
    const restarted = syncOver(store);
    await restarted.load();
    expect(await restarted.syncNow()).toMatchObject({ status: "idle", lastSeq: 6 });
    expect(await countCalls(store.knex)).toBe(1);
    expect((await getLocalDeal(store.knex, "9"))?.stage).toBe("won");
    expect(await store.knex("phones").count({ n: "*" }).first()).toEqual({ n: 3 });
  });

  it("an older change replayed after a newer one changes nothing", async () => {
    const sync = syncOver(store);
    await sync.syncNow();
    const { applyChange } = await import("./apply-change");
    await store.knex.transaction((trx) => applyChange(trx, feed[1]!));
    expect((await getLocalPerson(store.knex, "1"))?.name).toBe("Jane Cooper-Smith");
  });

  it("forgets the company's contacts on sign-out", async () => {
    const sync = syncOver(store);
    await sync.syncNow();
    await sync.reset();
    expect(await listLocalPeople(store.knex, "", 10)).toEqual([]);
  });
});
