import type { Knex } from "knex";

/**
 * A transfer may go to a teammate (another user of the company) instead of a
 * number: the user it rang. And when an admin's coaching session ended, so
 * the log can say how long it lasted (null: still on, or never joined).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("call_transfers", (t) => {
    t.integer("to_user_id").nullable();
  });
  await knex.schema.alterTable("coaching_sessions", (t) => {
    t.bigInteger("left_at").nullable();
    t.index(["spy_uniqueid"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("coaching_sessions", (t) => {
    t.dropIndex(["spy_uniqueid"]);
    t.dropColumn("left_at");
  });
  await knex.schema.alterTable("call_transfers", (t) => {
    t.dropColumn("to_user_id");
  });
}
