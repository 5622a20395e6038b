import type { Knex } from "knex";

/**
 * Voicemail by email: each user's "email me my voicemails" (on by default), and
 * the outbox of those emails, one row per recording and recipient, written in
 * the transaction that stores the recording. A sender claims a row with a lease,
 * so a server dying mid-send leaves it to the next, and marks it sent.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => {
    t.boolean("voicemail_email").notNullable().defaultTo(true);
  });
  await knex.schema.createTable("voicemail_emails", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.integer("recording_id").notNullable().references("id").inTable("recordings").onDelete("CASCADE");
    t.integer("user_id").notNullable().references("id").inTable("users").onDelete("CASCADE");
    t.bigInteger("created_at").notNullable();
    t.integer("attempts").notNullable().defaultTo(0);
    t.bigInteger("next_attempt_at").notNullable();
    t.bigInteger("lease_until").nullable();
    t.string("lease_owner", 64).nullable();
    t.bigInteger("sent_at").nullable();
    t.bigInteger("given_up_at").nullable();
    t.string("last_error", 500).nullable();
    // The same recording is never mailed twice to one person, whatever re-ingests it.
    t.unique(["recording_id", "user_id"]);
    t.index(["sent_at", "given_up_at", "next_attempt_at"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("voicemail_emails");
  await knex.schema.alterTable("users", (t) => {
    t.dropColumn("voicemail_email");
  });
}
