import type { Knex } from "knex";

/**
 * A company's calling hours for the power dialer: the weekdays (bit 0 Sunday …
 * bit 6 Saturday) and the local window, judged in each callee's time zone.
 * No row: no restriction.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("company_calling_hours", (t) => {
    t.integer("company_id").primary().references("id").inTable("companies").onDelete("CASCADE");
    t.integer("days_mask").notNullable();
    t.integer("from_minute").notNullable();
    t.integer("to_minute").notNullable();
    t.bigInteger("updated_at").notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("company_calling_hours");
}
