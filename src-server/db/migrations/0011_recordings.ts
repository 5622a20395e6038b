import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("companies", (t) => {
    t.boolean("recording_enabled").notNullable().defaultTo(false);
    t.boolean("recording_enforced").notNullable().defaultTo(false);
    t.boolean("recording_owner_download").notNullable().defaultTo(false);
    t.boolean("recording_consent").notNullable().defaultTo(true);
    t.boolean("recording_pause_allowed").notNullable().defaultTo(true);
  });
  await knex.schema.createTable("recordings", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    // One recording per call: re-ingesting the same call's files finds this row and stops.
    t.integer("call_id").notNullable().unique().references("id").inTable("calls").onDelete("CASCADE");
    t.integer("user_id").notNullable();
    t.string("sha256", 64).notNullable();
    t.integer("duration_ms").notNullable();
    t.integer("channels").notNullable();
    t.integer("sample_rate").notNullable();
    t.bigInteger("size_bytes").notNullable();
    t.text("peaks_json").notNullable();
    t.string("storage_key", 300).notNullable();
    t.bigInteger("created_at").notNullable();
    t.index(["company_id", "user_id"]);
  });
  await knex.schema.createTable("recording_pauses", (t) => {
    t.increments("id");
    t.integer("call_id").notNullable().references("id").inTable("calls").onDelete("CASCADE");
    t.integer("user_id").notNullable();
    t.string("action", 8).notNullable().checkIn(["pause", "resume"]);
    t.bigInteger("at").notNullable();
    t.index(["call_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("recording_pauses");
  await knex.schema.dropTable("recordings");
  await knex.schema.alterTable("companies", (t) => {
    t.dropColumn("recording_pause_allowed");
    t.dropColumn("recording_consent");
    t.dropColumn("recording_owner_download");
    t.dropColumn("recording_enforced");
    t.dropColumn("recording_enabled");
  });
}
