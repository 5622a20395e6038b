import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => {
    // E.164; the caller ID the PBX presents for this user's calls. Null until verified.
    t.string("verified_number", 16).nullable();
  });
  await knex.schema.alterTable("companies", (t) => {
    // The longest call the PBX allows (Dial's L() limit); a trial is capped lower in code.
    t.integer("max_call_seconds").notNullable().defaultTo(3600);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("companies", (t) => {
    t.dropColumn("max_call_seconds");
  });
  await knex.schema.alterTable("users", (t) => {
    t.dropColumn("verified_number");
  });
}
