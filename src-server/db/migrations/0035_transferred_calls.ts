import type { Knex } from "knex";

/**
 * A call a teammate transferred to this user (their leg of the other party's
 * call): who transferred it, as a name snapshot like a call's contact name, so
 * history reads "Transferred by …" without a join. Null on every other call.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("calls", (t) => {
    t.string("transferred_by", 255).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("calls", (t) => {
    t.dropColumn("transferred_by");
  });
}
