import type { Knex } from "knex";

/** The office extension a verification call dials after the answer (digits only, checked before it is stored). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("verifications", (t) => {
    t.string("extension", 10).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("verifications", (t) => {
    t.dropColumn("extension");
  });
}
