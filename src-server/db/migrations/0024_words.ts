import type { Knex } from "knex";

/**
 * Words the server used to write in English become codes the apps translate:
 * a ledger entry's note_code (+ one number, note_value), and how an
 * invitation was delivered. Old rows keep their note; the known English notes
 * get their code here so they read in either language.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("ledger_entries", (t) => {
    t.string("note_code", 32).nullable();
    t.bigInteger("note_value").nullable();
  });
  // emailed | no_mail_server | mail_failed; null: sent before this was recorded.
  await knex.schema.alterTable("invitations", (t) => {
    t.string("delivery", 16).nullable();
  });

  // Literal patterns of what earlier versions wrote: a migration must not change when the domain code does.
  await knex("ledger_entries").where({ kind: "expiry", note: "unused bonus at month end" }).update({ note_code: "bonus_unused" });
  await knex("ledger_entries").where({ note: "Demo credit" }).update({ note_code: "demo_credit" });
  const rows = await knex("ledger_entries")
    .whereNull("note_code")
    .andWhere((q) => void q.where("note", "like", "% Caller user%").orWhere("note", "like", "credit short by %"))
    .select<{ id: number; note: string }[]>("id", "note");
  for (const row of rows) {
    const users = /^(\d+) Caller users?$/.exec(row.note);
    const short = /^credit short by (\d+) micro-dollars$/.exec(row.note);
    if (users) await knex("ledger_entries").where({ id: row.id }).update({ note_code: "bonus_users", note_value: Number(users[1]) });
    else if (short) await knex("ledger_entries").where({ id: row.id }).update({ note_code: "credit_short", note_value: Number(short[1]) });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("ledger_entries", (t) => {
    t.dropColumn("note_code");
    t.dropColumn("note_value");
  });
  await knex.schema.alterTable("invitations", (t) => {
    t.dropColumn("delivery");
  });
}
