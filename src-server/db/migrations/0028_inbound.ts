import type { Knex } from "knex";

/**
 * Incoming calls: the company's numbers (DIDs arriving on the trunk), each
 * routed to one user or to a ring group (ring all, or round-robin from a
 * cursor), and each user's own available/away state. An inbound call's row
 * in `calls` (direction inbound) keeps the number it came in on and whether
 * the caller left a voicemail.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("ring_groups", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.string("name", 80).notNullable();
    t.string("strategy", 16).notNullable().checkIn(["ring_all", "round_robin"]);
    // Where the next round-robin call starts: an index into the members by position.
    t.integer("next_index").notNullable().defaultTo(0);
    t.bigInteger("created_at").notNullable();
    t.bigInteger("updated_at").notNullable();
    t.unique(["company_id", "name"]);
  });
  await knex.schema.createTable("ring_group_members", (t) => {
    t.integer("group_id").notNullable().references("id").inTable("ring_groups").onDelete("CASCADE");
    t.integer("user_id").notNullable().references("id").inTable("users").onDelete("CASCADE");
    t.integer("position").notNullable();
    t.primary(["group_id", "user_id"]);
  });
  await knex.schema.createTable("company_numbers", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    // E.164; one company owns a number.
    t.string("number", 16).notNullable().unique();
    t.string("label", 80).notNullable().defaultTo("");
    // Exactly one of the two (checked by the routes): whom the number rings.
    t.integer("user_id").nullable().references("id").inTable("users").onDelete("SET NULL");
    t.integer("group_id").nullable().references("id").inTable("ring_groups").onDelete("SET NULL");
    t.integer("ring_seconds").notNullable().defaultTo(20);
    t.bigInteger("created_at").notNullable();
    t.bigInteger("updated_at").notNullable();
    t.index(["company_id"]);
  });
  await knex.schema.createTable("user_availability", (t) => {
    t.integer("user_id").primary().references("id").inTable("users").onDelete("CASCADE");
    t.string("status", 16).notNullable().checkIn(["available", "away"]);
    t.bigInteger("updated_at").notNullable();
  });
  await knex.schema.alterTable("calls", (t) => {
    t.string("inbound_number", 16).nullable();
    t.boolean("voicemail").notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("calls", (t) => {
    t.dropColumn("voicemail");
    t.dropColumn("inbound_number");
  });
  await knex.schema.dropTable("user_availability");
  await knex.schema.dropTable("company_numbers");
  await knex.schema.dropTable("ring_group_members");
  await knex.schema.dropTable("ring_groups");
}
