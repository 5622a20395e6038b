import type { Knex } from "knex";

/**
 * Endpoints a load bench or drill makes for its generated users (sipp cannot do
 * WebRTC): served to the PBX with plain RTP over UDP, and otherwise a user's
 * endpoint like any other. Only the load-test seed sets the flag; no route can.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("pbx_endpoints", (t) => {
    t.boolean("load_test").notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("pbx_endpoints", (t) => {
    t.dropColumn("load_test");
  });
}
