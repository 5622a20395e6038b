import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  // One row per company once its defaults exist: seeding them and this row share a transaction.
  await knex.schema.createTable("outcome_settings", (t) => {
    t.integer("company_id").primary().references("id").inTable("companies").onDelete("CASCADE");
    t.boolean("required").notNullable().defaultTo(false);
    t.bigInteger("updated_at").notNullable();
  });
  await knex.schema.createTable("outcomes", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    // A default's key (the app translates it); null for custom outcomes.
    t.string("key", 32).nullable();
    // The admin's own name; null: a default never renamed.
    t.string("name", 60).nullable();
    // lower(name or the default's English name): names are unique per company, case-insensitively.
    t.string("name_folded", 60).notNullable();
    t.integer("position").notNullable();
    t.boolean("enabled").notNullable().defaultTo(true);
    t.bigInteger("created_at").notNullable();
    t.bigInteger("updated_at").notNullable();
    t.bigInteger("deleted_at").nullable();
    t.index(["company_id", "position"]);
  });
  await knex.raw("create unique index outcomes_live_name on outcomes (company_id, name_folded) where deleted_at is null");
  await knex.schema.alterTable("calls", (t) => {
    t.integer("outcome_id").nullable();
    // The name as it was when logged: a later rename, disable or delete leaves past calls as they were.
    t.string("outcome_name", 60).nullable();
    t.string("outcome_key", 32).nullable();
    t.text("outcome_notes").nullable();
    t.bigInteger("outcome_at").nullable();
    t.integer("outcome_by").nullable();
    t.string("outcome_request_key", 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("calls", (t) => {
    for (const column of ["outcome_request_key", "outcome_by", "outcome_at", "outcome_notes", "outcome_key", "outcome_name", "outcome_id"]) t.dropColumn(column);
  });
  await knex.raw("drop index outcomes_live_name");
  await knex.schema.dropTable("outcomes");
  await knex.schema.dropTable("outcome_settings");
}
