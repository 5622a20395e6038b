import type { Knex } from "knex";

/**
 * Failed sign-ins per account and per address (auth/sign-in-throttle.ts), in
 * the database so a lock holds across restarts and every server instance.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("sign_in_throttle", (t) => {
    // sha256 hex of "account:<email>" or "address:<ip>": no emails or addresses kept in the clear.
    t.string("key_hash", 64).primary();
    t.integer("failures").notNullable();
    t.bigInteger("last_attempt_at").notNullable();
    t.bigInteger("locked_until").notNullable().defaultTo(0);
    t.index(["last_attempt_at"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("sign_in_throttle");
}
