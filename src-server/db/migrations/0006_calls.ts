import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("calls", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.integer("user_id").notNullable().references("id").inTable("users").onDelete("CASCADE");
    // Asterisk's UNIQUEID of the user's channel: what authorize and every CDR of the call share.
    t.string("pbx_uniqueid", 150).notNullable().unique();
    t.string("client_call_id", 36).nullable();
    // E.164 when dialable; what was dialed otherwise (refused as invalid_number).
    t.string("number", 64).notNullable();
    t.string("direction", 8).notNullable().checkIn(["outbound", "inbound"]);
    t.string("status", 16).notNullable().checkIn(["authorized", "refused", "ended"]);
    t.bigInteger("started_at").notNullable();
    t.bigInteger("answered_at").nullable();
    t.bigInteger("ended_at").nullable();
    t.integer("billed_seconds").notNullable().defaultTo(0);
    t.string("disposition", 64).notNullable();
    // DIALSTATUS from the dialplan's h extension, and Asterisk's CDR disposition as a fallback.
    t.string("dial_status", 16).nullable();
    t.string("cdr_disposition", 16).nullable();
    t.integer("hangup_cause").nullable();
    t.string("refusal_reason", 32).nullable();
    t.text("quality_json").nullable();
    t.bigInteger("updated_at").notNullable();
    t.index(["company_id", "user_id", "started_at"]);
    t.index(["user_id", "client_call_id"]);
  });
  // How far Asterisk's own CDR store (cdr.db, per file) has been read back.
  await knex.schema.createTable("pbx_cdr_cursors", (t) => {
    t.string("source", 500).primary();
    t.bigInteger("last_row_id").notNullable();
    t.bigInteger("updated_at").notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("pbx_cdr_cursors");
  await knex.schema.dropTable("calls");
}
