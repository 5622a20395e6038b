import type { Knex } from "knex";

/**
 * Credit held by calls in progress, in the database so every server process
 * sees the same holds: one row per call, and their sum per company on the
 * balance row, which an authorize raises with one conditional update.
 * `carried_bonus_micros` is bonus of an expired month a live call still holds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("credit_balances", (t) => {
    t.bigInteger("reserved_micros").notNullable().defaultTo(0);
  });
  await knex.schema.createTable("credit_reservations", (t) => {
    t.string("pbx_uniqueid", 150).primary();
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.bigInteger("micros").notNullable();
    t.bigInteger("carried_bonus_micros").notNullable().defaultTo(0);
    t.string("carried_period", 7).nullable();
    t.integer("tariff_version").nullable();
    t.bigInteger("until_ms").notNullable();
    t.bigInteger("created_at").notNullable();
    t.index(["company_id", "created_at"]);
    t.index(["until_ms"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("credit_reservations");
  await knex.schema.alterTable("credit_balances", (t) => {
    t.dropColumn("reserved_micros");
  });
}
