import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("changes", (t) => {
    // AUTOINCREMENT on SQLite, bigserial on PostgreSQL: a seq is never reused.
    t.bigIncrements("seq");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    // null: the whole company sees the change; otherwise only this user.
    t.integer("audience_user_id").nullable().references("id").inTable("users").onDelete("CASCADE");
    t.string("entity", 64).notNullable();
    t.string("entity_id", 128).notNullable();
    t.string("op", 8).notNullable().checkIn(["upsert", "delete"]);
    t.text("data").notNullable();
    t.bigInteger("at").notNullable();
    t.index(["company_id", "seq"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("changes");
}
