import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("sessions", (t) => {
    t.increments("id");
    // sha256 hex of the bearer token; the token itself is never stored.
    t.string("token_hash", 64).notNullable().unique();
    t.integer("user_id").notNullable().references("id").inTable("users").onDelete("CASCADE");
    t.bigInteger("created_at").notNullable();
    t.bigInteger("expires_at").notNullable();
    t.index(["user_id"]);
    t.index(["expires_at"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("sessions");
}
