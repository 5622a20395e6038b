import type { Knex } from "knex";

/**
 * Calls cut off by a lost Asterisk: when AMI saw each call answered (its CDR never
 * comes when Asterisk dies), whether the server closed it as interrupted, and per
 * Asterisk (by its SystemName) when it started and when it was last seen or lost.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("calls", (t) => {
    t.bigInteger("live_answered_at").nullable();
    t.boolean("interrupted").notNullable().defaultTo(false);
  });
  await knex.schema.createTable("pbx_liveness", (t) => {
    t.string("system_name", 100).primary();
    t.bigInteger("started_at").nullable();
    t.bigInteger("seen_at").notNullable();
    t.bigInteger("lost_at").nullable();
    t.bigInteger("updated_at").notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("pbx_liveness");
  await knex.schema.alterTable("calls", (t) => {
    t.dropColumn("interrupted");
    t.dropColumn("live_answered_at");
  });
}
