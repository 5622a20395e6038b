import type { Knex } from "knex";

/**
 * The power dialer's queue: whose it is (server and user), whether it runs,
 * and its items in order with each one's state, the call placed for it and
 * how it ended. The item's client call id is written before it is dialed, so
 * after a restart an item that was being called is never dialed again.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("dial_queues", (t) => {
    t.text("id").notNullable().primary();
    t.text("server_url").notNullable();
    t.integer("user_id").notNullable();
    t.text("name").notNullable();
    t.text("status").notNullable().checkIn(["ready", "running", "paused", "stopped", "finished"], "dial_queues_status");
    t.text("error");
    t.integer("created_at").notNullable();
    t.integer("updated_at").notNullable();
  });
  await knex.schema.createTable("dial_queue_items", (t) => {
    t.text("queue_id").notNullable().references("id").inTable("dial_queues").onDelete("CASCADE");
    t.integer("position").notNullable();
    t.text("contact_id");
    t.text("deal_id");
    t.text("name").notNullable();
    t.text("number").notNullable();
    t.text("state").notNullable().checkIn(["waiting", "calling", "wrap_up", "done", "skipped"], "dial_queue_items_state");
    t.text("client_call_id").unique();
    t.text("result");
    t.text("skip_reason");
    t.integer("opens_at");
    t.integer("updated_at").notNullable();
    t.primary(["queue_id", "position"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("dial_queue_items");
  await knex.schema.dropTable("dial_queues");
}
