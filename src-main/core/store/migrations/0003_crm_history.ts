import type { Knex } from "knex";
import { numberSearchTerms } from "../../../../src-shared/crm/fts-query";

const callColumns = ["contact_name", "deal_title", "recording_id", "search_number"] as const;

// The FTS row of a call: its number's digit tails, the person's and deal's current names (mirror first, the call's snapshot otherwise), notes, outcome.
const ftsValues = (row: "new" | "c") => `${row}.rowid, coalesce(${row}.search_number, ${row}.number),
  coalesce((select name from people where id = ${row}.contact_id), ${row}.contact_name, ''),
  coalesce((select title from deals where id = ${row}.deal_id), ${row}.deal_title, ''),
  coalesce(${row}.notes, ''), coalesce(${row}.outcome, '')`;

/**
 * The CRM mirror (people, organizations, deals, their numbers), CRM links on
 * calls, and an FTS5 index over calls kept in step by triggers. The index is
 * keyed by the calls table's rowid, which only a VACUUM could renumber: the
 * store never runs one (rebuildCallSearch in history-search.ts repairs it).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("organizations", (t) => {
    t.text("id").notNullable().primary();
    t.text("name").notNullable();
    t.integer("updated_at").notNullable();
    t.integer("updated_seq").notNullable();
  });
  await knex.schema.createTable("people", (t) => {
    t.text("id").notNullable().primary();
    t.text("name").notNullable();
    t.text("email");
    t.text("organization_id");
    t.integer("updated_at").notNullable();
    t.integer("updated_seq").notNullable();
    t.index(["organization_id"], "people_organization");
  });
  await knex.schema.createTable("deals", (t) => {
    t.text("id").notNullable().primary();
    t.text("title").notNullable();
    t.text("person_id");
    t.text("organization_id");
    t.integer("value_micros").notNullable();
    t.text("stage").notNullable();
    t.integer("updated_at").notNullable();
    t.integer("updated_seq").notNullable();
    t.index(["person_id"], "deals_person");
    t.index(["organization_id"], "deals_organization");
  });
  await knex.schema.createTable("phones", (t) => {
    t.text("owner_kind").notNullable().checkIn(["person", "organization"]);
    t.text("owner_id").notNullable();
    t.integer("position").notNullable();
    t.text("number").notNullable();
    t.text("label").notNullable();
    t.primary(["owner_kind", "owner_id", "position"]);
    t.index(["number"], "phones_number");
  });
  for (const column of callColumns) {
    // Another migration may have added one of these already (recordings are another area's).
    if (!(await knex.schema.hasColumn("calls", column))) await knex.schema.alterTable("calls", (t) => void t.text(column));
  }
  await knex.schema.alterTable("calls", (t) => {
    t.index(["contact_id", "started_at"], "calls_contact");
    t.index(["deal_id", "started_at"], "calls_deal");
  });
  const rows = await knex("calls").select<{ id: string; number: string }[]>("id", "number");
  for (const row of rows) await knex("calls").where({ id: row.id }).update({ search_number: numberSearchTerms(row.number) });

  await knex.raw("CREATE VIRTUAL TABLE calls_fts USING fts5(number, contact, deal, notes, outcome, tokenize = 'unicode61 remove_diacritics 2')");
  await knex.raw(`CREATE TRIGGER calls_fts_insert AFTER INSERT ON calls BEGIN
    INSERT INTO calls_fts(rowid, number, contact, deal, notes, outcome) VALUES (${ftsValues("new")}); END`);
  await knex.raw(`CREATE TRIGGER calls_fts_update AFTER UPDATE ON calls BEGIN
    DELETE FROM calls_fts WHERE rowid = old.rowid;
    INSERT INTO calls_fts(rowid, number, contact, deal, notes, outcome) VALUES (${ftsValues("new")}); END`);
  await knex.raw("CREATE TRIGGER calls_fts_delete AFTER DELETE ON calls BEGIN DELETE FROM calls_fts WHERE rowid = old.rowid; END");
  for (const event of ["INSERT", "UPDATE OF name"]) {
    await knex.raw(`CREATE TRIGGER people_fts_${event === "INSERT" ? "insert" : "rename"} AFTER ${event} ON people BEGIN
      UPDATE calls_fts SET contact = new.name WHERE rowid IN (SELECT rowid FROM calls WHERE contact_id = new.id); END`);
  }
  for (const event of ["INSERT", "UPDATE OF title"]) {
    await knex.raw(`CREATE TRIGGER deals_fts_${event === "INSERT" ? "insert" : "rename"} AFTER ${event} ON deals BEGIN
      UPDATE calls_fts SET deal = new.title WHERE rowid IN (SELECT rowid FROM calls WHERE deal_id = new.id); END`);
  }
  await knex.raw(`INSERT INTO calls_fts(rowid, number, contact, deal, notes, outcome) SELECT ${ftsValues("c")} FROM calls c`);
}

export async function down(knex: Knex): Promise<void> {
  for (const trigger of ["calls_fts_insert", "calls_fts_update", "calls_fts_delete", "people_fts_insert", "people_fts_rename", "deals_fts_insert", "deals_fts_rename"]) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${trigger}`);
  }
  await knex.raw("DROP TABLE IF EXISTS calls_fts");
  await knex.schema.alterTable("calls", (t) => {
    t.dropIndex([], "calls_contact");
    t.dropIndex([], "calls_deal");
  });
  for (const column of callColumns) await knex.schema.alterTable("calls", (t) => void t.dropColumn(column));
  for (const table of ["phones", "deals", "people", "organizations"]) await knex.schema.dropTable(table);
}
