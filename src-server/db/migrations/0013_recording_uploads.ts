import type { Knex } from "knex";

/** Where the company records (PBX or desktop), and the desktop's resumable recording uploads, one per call. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("companies", (t) => {
    t.string("recording_source", 8).notNullable().defaultTo("pbx");
  });
  await knex.schema.createTable("recording_uploads", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.integer("user_id").notNullable();
    // One upload per call: the same call asked for again finds this row and its offset.
    t.integer("call_id").notNullable().unique().references("id").inTable("calls").onDelete("CASCADE");
    t.bigInteger("size_bytes").notNullable();
    t.string("sha256", 64).notNullable();
    t.bigInteger("received_bytes").notNullable().defaultTo(0);
    t.integer("recording_id").nullable();
    t.bigInteger("created_at").notNullable();
    t.bigInteger("updated_at").notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("recording_uploads");
  await knex.schema.alterTable("companies", (t) => {
    t.dropColumn("recording_source");
  });
}
