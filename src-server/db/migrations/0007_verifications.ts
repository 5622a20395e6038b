import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("verifications", (t) => {
    t.string("id", 64).primary();
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.integer("user_id").notNullable().references("id").inTable("users").onDelete("CASCADE");
    t.string("number", 16).notNullable();
    // scrypt of the code with a per-row salt: the code itself is never stored.
    t.string("code_salt", 64).notNullable();
    t.string("code_hash", 128).notNullable();
    t.string("state", 16).notNullable();
    t.string("failure_reason", 32).nullable();
    t.integer("attempts").notNullable().defaultTo(0);
    // ChannelId given to Originate: every channel of the call carries it as Linkedid.
    t.string("pbx_channel_id", 100).notNullable().unique();
    t.bigInteger("created_at").notNullable();
    t.bigInteger("expires_at").notNullable();
    t.bigInteger("updated_at").notNullable();
    t.index(["user_id", "created_at"]);
    t.index(["number", "created_at"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("verifications");
}
