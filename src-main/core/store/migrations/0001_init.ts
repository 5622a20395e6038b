import type { Knex } from "knex";

// Columns that hold JSON are TEXT: a `json` column would get NUMERIC affinity in SQLite and turn "123" into 123.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("settings", (t) => {
    t.text("key").notNullable().primary();
    t.text("value").notNullable();
  });

  await knex.schema.createTable("session", (t) => {
    t.integer("id").primary();
    t.check("id = 1", {}, "session_single_row");
    t.text("server_url");
    t.text("token");
    t.text("user_json");
    t.text("company_json");
    t.integer("caller_enabled").notNullable().defaultTo(0);
    t.integer("signed_in_at");
  });

  await knex.schema.createTable("sync_state", (t) => {
    t.integer("id").primary();
    t.check("id = 1", {}, "sync_state_single_row");
    t.integer("last_seq").notNullable().defaultTo(0);
    t.integer("last_synced_at");
    t.text("last_error");
  });
  await knex("sync_state").insert({ id: 1, last_seq: 0, last_synced_at: null, last_error: null });

  await knex.schema.createTable("calls", (t) => {
    t.text("id").notNullable().primary();
    t.text("direction").notNullable().checkIn(["outbound", "inbound"]);
    t.text("number").notNullable();
    t.integer("started_at").notNullable();
    t.integer("answered_at");
    t.integer("ended_at");
    t.integer("billed_seconds").notNullable().defaultTo(0);
    t.text("disposition").notNullable();
    t.integer("cost_micros");
    t.text("outcome");
    t.text("notes");
    t.text("contact_id");
    t.text("deal_id");
    t.integer("updated_seq").notNullable();
    // (started_at, id) serves listCalls' whole ORDER BY, tie-break included.
    t.index(["started_at", "id"], "calls_started_at");
  });

  await knex.schema.createTable("outbox", (t) => {
    t.increments("id");
    t.text("idempotency_key").notNullable().unique();
    t.text("kind").notNullable();
    t.text("payload").notNullable();
    t.integer("created_at").notNullable();
    t.integer("attempts").notNullable().defaultTo(0);
    t.text("last_error");
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ["outbox", "calls", "sync_state", "session", "settings"]) {
    await knex.schema.dropTable(table);
  }
}
