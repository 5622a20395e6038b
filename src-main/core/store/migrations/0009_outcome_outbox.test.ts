import type { Knex } from "knex";
import { describe, expect, it } from "vitest";
import { storeClients } from "../open-knex";
import { useEmptyStore } from "./empty-store";
import { completedMigrations, migrateTo } from "./migrate-to";
import { migrationNames } from "./migration-source";

const previous = migrationNames[migrationNames.indexOf("0009_outcome_outbox") - 1]!;
const callId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const pending = (n: number, endedAt: number, choice: { outcomeId: number; key: string | null; error?: string } | null, userId = 2) => ({
  client_call_id: callId(n), user_id: userId, number: `+8131234567${n}`, ended_at: endedAt,
  outcome_id: choice?.outcomeId ?? null, notes: choice ? `notes ${n}` : "", idempotency_key: choice?.key ?? null, last_error: choice?.error ?? null, attempts: choice?.error ? 2 : 0,
});
const edit = (key: string, createdAt: number, kind = "call-edit") => ({
  idempotency_key: key, kind, payload: JSON.stringify({ userId: 2, id: "7", editedAt: createdAt, patch: { notes: key } }), created_at: createdAt, attempts: 0, last_error: null, entity_key: kind === "call-edit" ? "call:7" : "person:3",
});

describe.each(storeClients)("migration 0009_outcome_outbox on %s", (client) => {
  let db: Knex;
  useEmptyStore(client, (opened) => {
    db = opened;
  });

  const seed = async () => {
    await migrateTo(db, previous);
    // Queued edits made at 100, 300 and 500; calls that ended at 50, 200, 250, 400 and 600.
    await db("outbox").insert([edit("edit-a-100", 100), edit("edit-b-300", 300, "person-edit"), edit("edit-c-500", 500)]);
    await db("pending_outcomes").insert([
      pending(1, 250, { outcomeId: 11, key: "outcome-key-250" }),
      pending(2, 50, { outcomeId: 12, key: "outcome-key-050" }),
      pending(3, 200, null),
      // Refused once (the outcome was disabled): asked again, with the server's reason.
      pending(4, 400, { outcomeId: 13, key: null, error: "no longer offered" }),
      pending(5, 600, { outcomeId: 14, key: "outcome-key-600", error: "server said 500" }, 3),
    ]);
  };

  it("moves every chosen outcome into the outbox with its key, in the order it was made among the queued edits, and keeps the calls still to answer", async () => {
    await seed();
    await migrateTo(db, "0009_outcome_outbox");

    const outbox = await db("outbox").orderBy("id").select("id", "idempotency_key", "kind", "payload", "created_at", "attempts", "last_error", "entity_key");
    expect(outbox.map((r: { idempotency_key: string }) => r.idempotency_key)).toEqual(["outcome-key-050", "edit-a-100", "outcome-key-250", "edit-b-300", "edit-c-500", "outcome-key-600"]);
    expect(outbox.map((r: { id: number }) => r.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(outbox[2]).toMatchObject({ kind: "call-outcome", created_at: 250, attempts: 0, last_error: null, entity_key: `call-outcome:${callId(1)}` });
    expect(JSON.parse((outbox[2] as { payload: string }).payload)).toEqual({ userId: 2, clientCallId: callId(1), number: "+81312345671", endedAt: 250, outcomeId: 11, notes: "notes 1" });
    // Another user's choice moves too (it waits for them), with its failures so far.
    expect(outbox[5]).toMatchObject({ kind: "call-outcome", attempts: 2, last_error: "server said 500" });
    expect(JSON.parse((outbox[5] as { payload: string }).payload)).toMatchObject({ userId: 3, clientCallId: callId(5) });
    // The edits are as they were.
    expect(outbox[1]).toMatchObject(edit("edit-a-100", 100));

    expect(await db("awaiting_outcomes").orderBy("ended_at").select()).toEqual([
      { client_call_id: callId(3), user_id: 2, number: "+81312345673", ended_at: 200, outcome_id: null, notes: "", last_error: null },
      { client_call_id: callId(4), user_id: 2, number: "+81312345674", ended_at: 400, outcome_id: 13, notes: "notes 4", last_error: "no longer offered" },
    ]);
    expect(await db.schema.hasTable("pending_outcomes")).toBe(false);

    // A new edit queues after all of them.
    const inserted: { id: number }[] = await db("outbox").insert(edit("edit-d-700", 700)).returning("id");
    expect(inserted).toEqual([{ id: 7 }]);
  });

  it("with no outcome queued, leaves the outbox's ids as they were", async () => {
    await migrateTo(db, previous);
    await db("outbox").insert([edit("edit-a-100", 100), edit("edit-c-500", 500)]);
    await db("outbox").where({ idempotency_key: "edit-a-100" }).delete();
    await migrateTo(db, "0009_outcome_outbox");
    expect(await db("outbox").select("id", "idempotency_key")).toEqual([{ id: 2, idempotency_key: "edit-c-500" }]);
  });

  it("migrates back down, every entry back in pending_outcomes, and up again", async () => {
    await seed();
    const before = await db("pending_outcomes").orderBy("client_call_id").select();
    await migrateTo(db, "0009_outcome_outbox");
    await migrateTo(db, previous);
    expect(await db.schema.hasTable("awaiting_outcomes")).toBe(false);
    const back = (await db("pending_outcomes").orderBy("client_call_id").select()) as Record<string, unknown>[];
    // Only the count of failed tries of a call still to answer is not kept (nothing is retried for it).
    expect(back).toEqual(before.map((row: Record<string, unknown>) => (row.idempotency_key === null ? { ...row, attempts: 0 } : row)));
    expect((await db("outbox").select("kind")).map((r: { kind: string }) => r.kind)).toEqual(["call-edit", "person-edit", "call-edit"]);
    await migrateTo(db, "0009_outcome_outbox");
    expect((await completedMigrations(db)).at(-1)).toBe("0009_outcome_outbox");
    expect(await db("outbox").count({ n: "*" }).first()).toMatchObject({ n: 6 });
  });
});
