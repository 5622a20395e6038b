import type { Knex } from "knex";

/**
 * Coaching: a company admin listens to, whispers into or barges into a user's
 * live call (Asterisk's ChanSpy). Each session is a row: who asked, for which
 * call, in which mode, the one-time token the admin's own SIP call carries to
 * the dialplan, and when the PBX used it. The company's policy says whether
 * the coached user is told.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("coaching_sessions", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.integer("admin_user_id").notNullable().references("id").inTable("users").onDelete("CASCADE");
    t.integer("call_id").notNullable().references("id").inTable("calls").onDelete("CASCADE");
    t.string("mode", 8).notNullable().checkIn(["listen", "whisper", "barge"]);
    t.string("token_hash", 64).notNullable().unique();
    t.bigInteger("token_expires_at").notNullable();
    // When the PBX exchanged the token for the channel to spy on; null: never joined.
    t.bigInteger("joined_at").nullable();
    // The admin's own channel on the PBX (its UNIQUEID): while AMI reports it, the session is on.
    t.string("spy_uniqueid", 150).nullable();
    t.bigInteger("created_at").notNullable();
    t.index(["company_id", "created_at"]);
    t.index(["call_id"]);
  });
  await knex.schema.createTable("coaching_policies", (t) => {
    t.integer("company_id").primary().references("id").inTable("companies").onDelete("CASCADE");
    t.boolean("notify_user").notNullable().defaultTo(false);
    t.bigInteger("updated_at").notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("coaching_policies");
  await knex.schema.dropTable("coaching_sessions");
}
