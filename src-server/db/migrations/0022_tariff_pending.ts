import type { Knex } from "knex";

/**
 * A tariff version is written as pending (its rows in many short
 * transactions, so no import holds SQLite's write lock for long) and only
 * published once every row is in; rating never reads a pending version.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("tariff_versions", (t) => {
    t.boolean("pending").notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("tariff_versions", (t) => {
    t.dropColumn("pending");
  });
}
