import type { Knex } from "knex";

// Lists are literal, not imported: a migration must not change when the domain code does.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("companies", (t) => {
    t.increments("id");
    t.string("name", 200).notNullable();
    t.string("plan", 16).notNullable().checkIn(["essential", "advanced", "professional", "enterprise"]);
    t.boolean("is_trial").notNullable().defaultTo(false);
    t.string("country", 2).notNullable();
    t.string("currency", 3).notNullable();
    t.string("time_zone", 64).notNullable();
    t.bigInteger("created_at").notNullable();
  });
  await knex.schema.createTable("users", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    // Stored lowercase by users-repo, so this unique index is case-insensitive in effect.
    t.string("email", 254).notNullable().unique();
    t.string("name", 200).notNullable();
    t.string("role", 16).notNullable().checkIn(["admin", "regular"]);
    t.string("password_hash", 255).notNullable();
    t.string("locale", 35).nullable();
    t.boolean("caller_enabled").notNullable().defaultTo(false);
    t.bigInteger("created_at").notNullable();
    t.index(["company_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("users");
  await knex.schema.dropTable("companies");
}
