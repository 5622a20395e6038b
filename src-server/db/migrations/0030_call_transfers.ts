import type { Knex } from "knex";

/**
 * Transfers of a user's answered call: to which number, blind or attended,
 * and the leg that carried it on (its own authorized, charged call, found by
 * the client call id the server gave it), so history can show the chain.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("call_transfers", (t) => {
    t.increments("id");
    // One transfer per call: a second request finds this row and is refused.
    t.integer("call_id").notNullable().unique().references("id").inTable("calls").onDelete("CASCADE");
    t.integer("company_id").notNullable();
    t.integer("user_id").notNullable();
    t.string("mode", 16).notNullable();
    t.string("to_number", 64).notNullable();
    t.string("leg_client_call_id", 36).notNullable().unique();
    // Attended: the first call's far channel, whose CDR after the bridge (its peer: the third party) extends the leg's billed time.
    t.string("far_uniqueid", 150).nullable().unique();
    // Attended: the consultation call's uniqueid; the latest end seen of the bridged talk, kept for a leg CDR that comes later.
    t.string("leg_uniqueid", 150).nullable().index();
    t.bigInteger("carried_until").nullable();
    t.bigInteger("created_at").notNullable();
    t.index(["company_id", "user_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("call_transfers");
}
