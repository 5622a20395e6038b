import type { Knex } from "knex";

/** A call a teammate transferred to this user: the teammate's name, as the server sends it (null on every other call). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("calls", (t) => {
    t.text("transferred_by");
  });
}

export async function down(knex: Knex): Promise<void> {
  // Plain DROP COLUMN (SQLite 3.35+): knex would rebuild the table, which 0003's triggers on calls refuse.
  await knex.raw("ALTER TABLE calls DROP COLUMN transferred_by");
}
