import type { Knex } from "knex";

// The trigram row of a call: the texts people search in Japanese (names, deal, notes, outcome), current names first as in 0003.
const trigramValues = (row: "new" | "c") => `${row}.rowid,
  coalesce((select name from people where id = ${row}.contact_id), ${row}.contact_name, ''),
  coalesce((select title from deals where id = ${row}.deal_id), ${row}.deal_title, ''),
  coalesce(${row}.notes, ''), coalesce(${row}.outcome, '')`;

// A call with none of those texts gets no trigram row (about a third of calls: numbers only), which keeps sync writes cheaper.
const hasText = (row: "new" | "c") =>
  `(${row}.contact_id IS NOT NULL OR ${row}.contact_name IS NOT NULL OR ${row}.deal_id IS NOT NULL OR ${row}.deal_title IS NOT NULL OR ${row}.notes IS NOT NULL OR ${row}.outcome IS NOT NULL)`;

const triggers = ["calls_trigram_insert", "calls_trigram_update", "calls_trigram_delete", "people_trigram_insert", "people_trigram_rename", "deals_trigram_insert", "deals_trigram_rename"];

/**
 * Whose call each mirrored call is (admins mirror the company's), the audience
 * the mirror was pulled as, the entity an outbox edit is for, and a trigram
 * index beside 0003's: unicode61 only matches word starts, and Japanese names
 * and notes have no spaces, so "田中" must match inside "山田中央".
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("calls", (t) => {
    t.text("user_id");
    t.index(["user_id", "started_at"], "calls_user");
  });
  // null: pulled before audiences existed; the next sync starts over (sync-service.ts).
  await knex.schema.alterTable("sync_state", (t) => void t.text("audience"));
  await knex.schema.alterTable("outbox", (t) => {
    t.text("entity_key");
    t.index(["entity_key"], "outbox_entity");
  });

  await knex.raw("CREATE VIRTUAL TABLE calls_trigram USING fts5(contact, deal, notes, outcome, tokenize = 'trigram')");
  await knex.raw(`CREATE TRIGGER calls_trigram_insert AFTER INSERT ON calls WHEN ${hasText("new")} BEGIN
    INSERT INTO calls_trigram(rowid, contact, deal, notes, outcome) VALUES (${trigramValues("new")}); END`);
  await knex.raw(`CREATE TRIGGER calls_trigram_update AFTER UPDATE OF contact_id, contact_name, deal_id, deal_title, notes, outcome ON calls BEGIN
    DELETE FROM calls_trigram WHERE rowid = old.rowid;
    INSERT INTO calls_trigram(rowid, contact, deal, notes, outcome) SELECT ${trigramValues("new")} WHERE ${hasText("new")}; END`);
  await knex.raw("CREATE TRIGGER calls_trigram_delete AFTER DELETE ON calls BEGIN DELETE FROM calls_trigram WHERE rowid = old.rowid; END");
  for (const event of ["INSERT", "UPDATE OF name"]) {
    await knex.raw(`CREATE TRIGGER people_trigram_${event === "INSERT" ? "insert" : "rename"} AFTER ${event} ON people BEGIN
      UPDATE calls_trigram SET contact = new.name WHERE rowid IN (SELECT rowid FROM calls WHERE contact_id = new.id); END`);
  }
  for (const event of ["INSERT", "UPDATE OF title"]) {
    await knex.raw(`CREATE TRIGGER deals_trigram_${event === "INSERT" ? "insert" : "rename"} AFTER ${event} ON deals BEGIN
      UPDATE calls_trigram SET deal = new.title WHERE rowid IN (SELECT rowid FROM calls WHERE deal_id = new.id); END`);
  }
  await knex.raw(`INSERT INTO calls_trigram(rowid, contact, deal, notes, outcome) SELECT ${trigramValues("c")} FROM calls c WHERE ${hasText("c")}`);
}

export async function down(knex: Knex): Promise<void> {
  for (const trigger of triggers) await knex.raw(`DROP TRIGGER IF EXISTS ${trigger}`);
  await knex.raw("DROP TABLE IF EXISTS calls_trigram");
  // Plain DROP COLUMN (SQLite 3.35+): knex would rebuild the table, which 0003's triggers on calls refuse.
  await knex.raw("DROP INDEX outbox_entity");
  await knex.raw("ALTER TABLE outbox DROP COLUMN entity_key");
  await knex.raw("ALTER TABLE sync_state DROP COLUMN audience");
  await knex.raw("DROP INDEX calls_user");
  await knex.raw("ALTER TABLE calls DROP COLUMN user_id");
}
