import type { Knex } from "knex";

/**
 * Voicemail greetings (each user's own recorded messages, audio in recording
 * storage) and the drops that played one into a call: a one-time media token
 * for the PBX, the far channel the greeting plays on (its CDR is billed to the
 * call), and when that playback ended.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("voicemail_greetings", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.integer("user_id").notNullable().references("id").inTable("users").onDelete("CASCADE");
    t.string("name", 80).notNullable();
    t.string("storage_key", 255).notNullable();
    t.integer("duration_ms").notNullable();
    t.integer("size_bytes").notNullable();
    t.boolean("is_default").notNullable().defaultTo(false);
    t.bigInteger("created_at").notNullable();
    t.bigInteger("updated_at").notNullable();
    t.index(["company_id", "user_id"]);
  });
  await knex.schema.createTable("voicemail_drops", (t) => {
    t.increments("id");
    // One drop per call: a second click finds this row and is refused.
    t.integer("call_id").notNullable().unique().references("id").inTable("calls").onDelete("CASCADE");
    t.integer("company_id").notNullable();
    t.integer("user_id").notNullable();
    // The greeting's audio at the time of the drop (a greeting deleted meanwhile still plays).
    t.string("storage_key", 255).notNullable();
    t.integer("greeting_id").nullable();
    t.string("call_uniqueid", 150).notNullable().index();
    t.string("far_uniqueid", 150).notNullable().unique();
    t.string("token_hash", 64).notNullable().unique();
    t.bigInteger("token_expires_at").notNullable();
    t.bigInteger("fetched_at").nullable();
    t.bigInteger("played_until").nullable();
    t.bigInteger("created_at").notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("voicemail_drops");
  await knex.schema.dropTable("voicemail_greetings");
}
