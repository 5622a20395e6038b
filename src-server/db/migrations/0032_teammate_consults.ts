import type { Knex } from "knex";

/**
 * A consultation with a teammate before an attended transfer: the PBX asked
 * the server who may be rung ([transfer-consult]) and the server said yes.
 * The consultation is no call of the user's (internal, not charged); this is
 * how a later "complete" finds its channel (pbx_uniqueid) and its teammate.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("teammate_consults", (t) => {
    t.increments("id").primary();
    t.integer("company_id").notNullable();
    t.integer("user_id").notNullable();
    t.integer("to_user_id").notNullable();
    /** The first call, the one the user is consulting about. */
    t.integer("call_id").notNullable();
    t.string("client_call_id", 36).notNullable();
    t.string("pbx_uniqueid", 150).notNullable().unique();
    t.bigInteger("created_at").notNullable();
    t.index(["user_id", "client_call_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("teammate_consults");
}
