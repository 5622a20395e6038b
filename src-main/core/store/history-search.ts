import type { Knex } from "knex";
import type { HistoryCall } from "../../../src-shared/api/contract";
import type { HistoryFilter, HistoryTotals } from "../../../src-shared/api/areas/crm";
import { toHistoryCall, type HistoryColumns } from "./calls-repo";
import { parseHistoryText, type HistoryText } from "./history-search-text";

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
function filtered(db: Knex, filter: HistoryFilter, text: HistoryText, walkIndex = false): Knex.QueryBuilder {
  const query: Knex.QueryBuilder = walkIndex ? db.from(db.raw("calls as c indexed by calls_started_at")) : db("calls as c");
  if (text.words !== null) void query.whereRaw("c.rowid in (select rowid from calls_fts where calls_fts match ?)", [text.words]);
  if (text.trigram !== null) void query.whereRaw("c.rowid in (select rowid from calls_trigram where calls_trigram match ?)", [text.trigram]);
  for (const like of text.likes) void query.whereRaw(`exists (select 1 from calls_trigram t where t.rowid = c.rowid and (${likeColumns}))`, [like, like, like, like]);
  if (filter.from !== undefined) void query.where("c.started_at", ">=", filter.from);
  if (filter.to !== undefined) void query.where("c.started_at", "<", filter.to);
  if (filter.direction !== undefined) void query.where("c.direction", filter.direction);
  if (filter.outcome !== undefined) void query.where("c.outcome", filter.outcome);
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

/** Newest first; names from the mirrored person and deal (current), else the call's snapshot. */
export async function searchCalls(db: Knex, filter: HistoryFilter, page: HistoryPage): Promise<HistoryCall[]> {
  const text = parseHistoryText(filter.query);
  const query = filtered(db, filter, text, await shouldWalkIndex(db, text))
    .leftJoin("people as p", "p.id", "c.contact_id")
    .leftJoin("deals as d", "d.id", "c.deal_id")
    .select(
      "c.id", "c.direction", "c.number", "c.started_at", "c.answered_at", "c.ended_at", "c.billed_seconds", "c.disposition",
      "c.cost_micros", "c.outcome", "c.notes", "c.recording_id", "c.contact_id", "c.deal_id", "c.user_id",
      db.raw("coalesce(p.name, c.contact_name) as contact_name"),
      db.raw("coalesce(d.title, c.deal_title) as deal_title"),
    )
    .orderBy([
      { column: "c.started_at", order: "desc" },
      { column: "c.id", order: "desc" },
    ])
    .limit(page.limit);
  if (page.before !== undefined) {
    const { startedAt, id } = page.before;
    void query.where((w) => void w.where("c.started_at", "<", startedAt).orWhere((same) => void same.where("c.started_at", startedAt).andWhere("c.id", "<", id)));
  }
  if (page.offset !== undefined && page.offset > 0) void query.offset(page.offset);
  return ((await query) as Row[]).map(toCall);
}

/** Count, billed seconds and cost of the whole filtered set. */
export async function historyTotals(db: Knex, filter: HistoryFilter): Promise<HistoryTotals> {
  const row = (await filtered(db, filter, parseHistoryText(filter.query))
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
