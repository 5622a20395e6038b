import type { Knex } from "knex";

/**
 * The recordings kept on disk for offline play (`<dataDir>/recordings/<sha256>.wav`):
 * what the player needs without the server (meta, peaks, pauses) and what the
 * cache needs for its limit (size, pinned, last use). `can_download` is the
 * server's answer as last heard, so a download offline obeys the company's policy.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("recording_cache", (t) => {
    t.text("id").notNullable().primary();
    t.text("call_id").notNullable();
    t.text("sha256").notNullable();
    t.integer("size_bytes").notNullable();
    t.integer("duration_ms").notNullable();
    t.integer("channels").notNullable();
    t.integer("sample_rate").notNullable();
    t.text("peaks").notNullable();
    t.text("pauses").notNullable();
    t.integer("recorded_at").notNullable();
    t.integer("can_download").notNullable();
    t.integer("pinned").notNullable().defaultTo(0);
    t.integer("last_used_at").notNullable();
    t.integer("created_at").notNullable();
    t.index(["call_id"], "recording_cache_call");
    t.index(["pinned", "last_used_at"], "recording_cache_lru");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("recording_cache");
}
