import type { Knex } from "knex";

/**
 * How the session token is stored (token-protector.ts). A token saved before
 * this is plain text, and says so; the core protects it on its next start
 * without signing the user out.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("session", (t) => void t.text("token_scheme").notNullable().defaultTo("plain"));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("ALTER TABLE session DROP COLUMN token_scheme");
}
