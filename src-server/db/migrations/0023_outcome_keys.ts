import type { Knex } from "knex";
import { defaultOutcomeKeys, defaultOutcomeNames } from "../../../src-shared/server-api/company-admin";

/**
 * A call logged with a default outcome keeps its key and no name (the app shows it in its own
 * language); outcome_name now holds only an admin's typed name. A call snapshot with a default's
 * English name becomes that key when its key or its outcome row says so, or when it names no
 * outcome row; a custom outcome that took a renamed default's old name stays as typed.
 */
export async function up(knex: Knex): Promise<void> {
  for (const key of defaultOutcomeKeys) {
    await knex("calls")
      .where({ outcome_name: defaultOutcomeNames[key] })
      .where((owner) =>
        void owner
          .where({ outcome_key: key })
          .orWhere((legacy) => void legacy.whereNull("outcome_key").where((row) => void row.whereNull("outcome_id").orWhereIn("outcome_id", knex("outcomes").select("id").where({ key })))),
      )
      .update({ outcome_key: key, outcome_name: null });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const key of defaultOutcomeKeys) await knex("calls").where({ outcome_key: key }).whereNull("outcome_name").update({ outcome_name: defaultOutcomeNames[key] });
}
