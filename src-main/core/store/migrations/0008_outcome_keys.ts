import type { Knex } from "knex";
import { defaultOutcomeKeys, defaultOutcomeNames } from "../../../../src-shared/server-api/company-admin";

/**
 * Default outcomes stored by key, not by their English name, so history shows and searches them
 * in the reader's language. Calls already stored with a default's English name get its key (the
 * FTS triggers re-index them); every other outcome stays as typed. Indexes back the history
 * table's duration and cost sorts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("calls", (t) => {
    t.text("outcome_key");
    t.index(["billed_seconds"], "calls_billed_seconds");
    t.index(["cost_micros"], "calls_cost");
  });
  for (const key of defaultOutcomeKeys) await knex("calls").where({ outcome: defaultOutcomeNames[key] }).update({ outcome_key: key, outcome: null });
}

export async function down(knex: Knex): Promise<void> {
  for (const key of defaultOutcomeKeys) await knex("calls").where({ outcome_key: key }).whereNull("outcome").update({ outcome: defaultOutcomeNames[key] });
  // Plain DROP COLUMN (SQLite 3.35+): knex would rebuild the table, which 0003's triggers on calls refuse.
  await knex.raw("DROP INDEX calls_billed_seconds");
  await knex.raw("DROP INDEX calls_cost");
  await knex.raw("ALTER TABLE calls DROP COLUMN outcome_key");
}
