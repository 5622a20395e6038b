import type { Knex } from "knex";
import type { HistoryCall } from "../../../src-shared/api/contract";
import { newestFirst, type HistoryFilter, type HistorySort, type HistoryTotals, type OutcomeLabels } from "../../../src-shared/api/areas/crm";
import { outcomeKeysMatching } from "../../../src-shared/crm/logged-outcome";
import { defaultOutcomeKeys, type DefaultOutcomeKey } from "../../../src-shared/server-api/company-admin";
import { toHistoryCall, type HistoryColumns } from "./calls-repo";
import { parseHistoryText, type HistoryText } from "./history-search-text";

/** What the list asks beyond the filter: its order, and the default outcomes' names in the reader's language. */
export interface HistoryReading {
  sort?: HistorySort | undefined;
  outcomeLabels?: OutcomeLabels | undefined;
}

/**
 * The typed words split in two: those naming a default outcome in the reader's language (each
 * matches that outcome's key or the text as usual), and the rest (the text indexes only).
 */
interface HistoryQuery {
  text: HistoryText;
  outcomeWords: { keys: DefaultOutcomeKey[]; text: HistoryText }[];
}

function parseHistoryQuery(query: string, labels: OutcomeLabels | undefined): HistoryQuery {
  const words = query.normalize("NFKC").split(/\s+/).filter((w) => w !== "");
  const outcomeWords = labels === undefined ? [] : words.flatMap((word) => {
    const keys = outcomeKeysMatching(word, labels);
    return keys.length === 0 ? [] : [{ word, keys, text: parseHistoryText(word) }];
  });
  const named = new Set(outcomeWords.map((w) => w.word));
  return { text: parseHistoryText(words.filter((w) => !named.has(w)).join(" ")), outcomeWords };
}

export interface HistoryPage {
  limit: number;
  offset?: number | undefined;
  before?: { startedAt: number; id: string } | undefined;
}

interface Row extends HistoryColumns {
  recording_id: string | null;
  contact_id: string | null;
  contact_name: string | null;
  deal_id: string | null;
  deal_title: string | null;
  user_id: string | null;
}

/**
 * Above this many text matches, the newest come faster by walking the
 * started_at index and probing the match set than by sorting every match
 * (bench/history-bench.ts: a word in a third of 100,000 calls took 26 ms
 * sorted, 5 ms walked; a number with 3 matches 0.1 ms sorted, 3 ms walked).
 */
export const walkIndexAbove = 500;

/** Whether more than `walkIndexAbove` calls match in one index; stops counting there (a full count of a common word costs as much as the search). */
async function manyMatches(db: Knex, table: "calls_fts" | "calls_trigram", match: string): Promise<boolean> {
  const rows = await db.raw<{ n: number }[]>(`select count(*) as n from (select rowid from ${table} where ${table} match ? limit ?)`, [match, walkIndexAbove + 1]);
  return Number(rows[0]?.n ?? 0) > walkIndexAbove;
}

/**
 * Walk the started_at index (newest first, stop at the page's end) when the
 * text matches many calls, and always for a LIKE: that is its bound.
 */
async function shouldWalkIndex(db: Knex, text: HistoryText): Promise<boolean> {
  if (text.likes.length > 0) return true;
  if (text.words !== null && (await manyMatches(db, "calls_fts", text.words))) return true;
  return text.trigram !== null && (await manyMatches(db, "calls_trigram", text.trigram));
}

const likeColumns = ["contact", "deal", "notes", "outcome"].map((c) => `t.${c} like ? escape '\\'`).join(" or ");

/**
 * The filters as one WHERE. Text reaches MATCH and LIKE only as bound
 * parameters (parseHistoryText quotes it); matches join by the FTS rowid.
 * `walkIndex` makes SQLite take rows off the started_at index in order (no
 * sort of the whole match set).
 */
function whereText(query: Knex.QueryBuilder, text: HistoryText): void {
  if (text.words !== null) void query.whereRaw("c.rowid in (select rowid from calls_fts where calls_fts match ?)", [text.words]);
  if (text.trigram !== null) void query.whereRaw("c.rowid in (select rowid from calls_trigram where calls_trigram match ?)", [text.trigram]);
  for (const like of text.likes) void query.whereRaw(`exists (select 1 from calls_trigram t where t.rowid = c.rowid and (${likeColumns}))`, [like, like, like, like]);
}

function filtered(db: Knex, filter: HistoryFilter, parsed: HistoryQuery, walkIndex = false): Knex.QueryBuilder {
  const query: Knex.QueryBuilder = walkIndex ? db.from(db.raw("calls as c indexed by calls_started_at")) : db("calls as c");
  whereText(query, parsed.text);
  for (const word of parsed.outcomeWords) void query.where((either) => void either.whereIn("c.outcome_key", word.keys).orWhere((inner) => whereText(inner, word.text)));
  if (filter.from !== undefined) void query.where("c.started_at", ">=", filter.from);
  if (filter.to !== undefined) void query.where("c.started_at", "<", filter.to);
  if (filter.direction !== undefined) void query.where("c.direction", filter.direction);
  if (filter.outcome !== undefined) void query.where("c.outcome", filter.outcome);
  if (filter.outcomeKey !== undefined) void query.where("c.outcome_key", filter.outcomeKey).whereNull("c.outcome");
  if (filter.hasRecording === true) void query.whereNotNull("c.recording_id");
  if (filter.hasRecording === false) void query.whereNull("c.recording_id");
  if (filter.minCostMicros !== undefined) void query.where("c.cost_micros", ">=", filter.minCostMicros);
  if (filter.contactId !== undefined) void query.where("c.contact_id", filter.contactId);
  if (filter.dealId !== undefined) void query.where("c.deal_id", filter.dealId);
  if (filter.userId !== undefined) void query.where("c.user_id", filter.userId);
  return query;
}

function toCall(row: Row): HistoryCall {
  return {
    ...toHistoryCall(row),
    recordingId: row.recording_id,
    contactId: row.contact_id,
    contactName: row.contact_name,
    dealId: row.deal_id,
    dealTitle: row.deal_title,
    userId: row.user_id,
  };
}

// A call not linked to a contact still shows the mirrored person whose number it dialled.
const personOfCall = "coalesce(c.contact_id, (select ph.owner_id from phones ph where ph.owner_kind = 'person' and ph.number = c.number order by ph.owner_id limit 1))";

/** The ORDER BY of a sort; empty values (no name, no cost, no outcome) last either way, ties newest first. */
function orderBy(query: Knex.QueryBuilder, sort: HistorySort, labels: OutcomeLabels | undefined): void {
  const dir = sort.direction;
  switch (sort.by) {
    case "time":
      void query.orderBy([{ column: "c.started_at", order: dir }, { column: "c.id", order: dir }]);
      return;
    case "party":
      void query.orderByRaw(`coalesce(p.name, c.contact_name) is null, coalesce(p.name, c.contact_name) collate nocase ${dir}, c.number ${dir}`);
      break;
    case "duration":
      void query.orderBy("c.billed_seconds", dir);
      break;
    case "cost":
      void query.orderByRaw(`c.cost_micros is null, c.cost_micros ${dir}`);
      break;
    case "outcome": {
      const named = defaultOutcomeKeys.map((key) => [key, labels?.[key] ?? key] as const);
      const label = `coalesce(c.outcome, case c.outcome_key ${named.map(() => "when ? then ?").join(" ")} end)`;
      void query.orderByRaw(`${label} is null, ${label} collate nocase ${dir}`, [...named.flat(), ...named.flat()]);
      break;
    }
  }
  void query.orderBy([{ column: "c.started_at", order: "desc" }, { column: "c.id", order: "desc" }]);
}

/** Newest first unless sorted otherwise; names from the mirrored person and deal (current), else the call's snapshot. */
export async function searchCalls(db: Knex, filter: HistoryFilter, page: HistoryPage, reading: HistoryReading = {}): Promise<HistoryCall[]> {
  const parsed = parseHistoryQuery(filter.query, reading.outcomeLabels);
  const sort = reading.sort ?? newestFirst;
  const walk = sort.by === "time" && (await shouldWalkIndex(db, parsed.text));
  const query = filtered(db, filter, parsed, walk)
    .leftJoin("people as p", "p.id", db.raw(personOfCall))
    .leftJoin("deals as d", "d.id", "c.deal_id")
    .select(
      "c.id", "c.direction", "c.number", "c.started_at", "c.answered_at", "c.ended_at", "c.billed_seconds", "c.disposition",
      "c.cost_micros", "c.outcome", "c.outcome_key", "c.notes", "c.recording_id", "c.deal_id", "c.user_id", "c.transferred_by",
      db.raw("coalesce(c.contact_id, p.id) as contact_id"),
      db.raw("coalesce(p.name, c.contact_name) as contact_name"),
      db.raw("coalesce(d.title, c.deal_title) as deal_title"),
    )
    .limit(page.limit);
  orderBy(query, sort, reading.outcomeLabels);
  if (page.before !== undefined) {
    const { startedAt, id } = page.before;
    void query.where((w) => void w.where("c.started_at", "<", startedAt).orWhere((same) => void same.where("c.started_at", startedAt).andWhere("c.id", "<", id)));
  }
  if (page.offset !== undefined && page.offset > 0) void query.offset(page.offset);
  return ((await query) as Row[]).map(toCall);
}

/** Count, billed seconds and cost of the whole filtered set. */
export async function historyTotals(db: Knex, filter: HistoryFilter, outcomeLabels?: OutcomeLabels): Promise<HistoryTotals> {
  const row = (await filtered(db, filter, parseHistoryQuery(filter.query, outcomeLabels))
    .select(db.raw("count(*) as count"), db.raw("coalesce(sum(c.billed_seconds), 0) as seconds"), db.raw("coalesce(sum(c.cost_micros), 0) as cost"))
    .first()) as { count: number; seconds: number; cost: number } | undefined;
  return { count: Number(row?.count ?? 0), seconds: Number(row?.seconds ?? 0), costMicros: Number(row?.cost ?? 0) };
}

/** Rebuilds the search index from the calls table (after a VACUUM, or to repair it). */
export async function rebuildCallSearch(db: Knex): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.raw("DELETE FROM calls_fts");
    await trx.raw(`INSERT INTO calls_fts(rowid, number, contact, deal, notes, outcome)
      SELECT c.rowid, coalesce(c.search_number, c.number), coalesce(p.name, c.contact_name, ''), coalesce(d.title, c.deal_title, ''), coalesce(c.notes, ''), coalesce(c.outcome, '')
      FROM calls c LEFT JOIN people p ON p.id = c.contact_id LEFT JOIN deals d ON d.id = c.deal_id`);
  });
}
