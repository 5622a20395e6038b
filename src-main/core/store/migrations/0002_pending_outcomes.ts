import type { Knex } from "knex";

/** Finished calls waiting for an outcome on this device, and chosen outcomes not yet accepted by the server. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("pending_outcomes", (t) => {
    t.text("client_call_id").notNullable().primary();
    // Whose call: another user signing in on this device must not be asked about it.
    t.integer("user_id").notNullable();
    t.text("number").notNullable();
    t.integer("ended_at").notNullable();
    t.integer("outcome_id");
    t.text("notes").notNullable().defaultTo("");
    // Set when the user chooses; the same key on every replay, so the server applies it once.
    t.text("idempotency_key");
    t.text("last_error");
    t.integer("attempts").notNullable().defaultTo(0);
    t.index(["user_id", "ended_at"], "pending_outcomes_user");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("pending_outcomes");
}
