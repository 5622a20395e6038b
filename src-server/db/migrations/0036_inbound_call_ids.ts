import type { Knex } from "knex";

/**
 * Incoming calls now carry a client call id the server makes (the app
 * transfers them by it), and the transfer route finds one in the company
 * without knowing which member owns the record yet: an index on the id alone.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("calls", (t) => {
    t.index(["client_call_id"], "calls_client_call_id_index");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("calls", (t) => {
    t.dropIndex(["client_call_id"], "calls_client_call_id_index");
  });
}
