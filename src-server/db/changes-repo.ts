import type { Knex } from "knex";
import type { Change, ChangesReply } from "../../src-shared/server-api/changes";
import { dialectOf } from "./open-database";
import { toInt } from "./row-values";

export interface NewChange {
  companyId: number;
  /** null: everyone in the company; otherwise only this user. */
  audienceUserId: number | null;
  entity: string;
  entityId: string;
  op: Change["op"];
  data: unknown;
  at: number;
}

interface ChangeRow {
  seq: number | string;
  entity: string;
  entity_id: string;
  op: Change["op"];
  data: string;
  at: number | string;
}

/** "CHNG": the advisory-lock namespace for change-feed appends. */
const appendLockClass = 0x43484e47;

/**
 * Called inside the transaction of the write it describes. On PostgreSQL a
 * per-company lock held to commit makes seqs commit in order, so a reader that
 * saw seq N never misses a smaller seq committed later. SQLite has one writer anyway.
 */
export async function appendChange(trx: Knex.Transaction, change: NewChange): Promise<number> {
  if (dialectOf(trx) === "postgres") {
    await trx.raw("select pg_advisory_xact_lock(?, ?)", [appendLockClass, change.companyId]);
  }
  const rows = await trx("changes")
    .insert({
      company_id: change.companyId,
      audience_user_id: change.audienceUserId,
      entity: change.entity,
      entity_id: change.entityId,
      op: change.op,
      data: JSON.stringify(change.data ?? null),
      at: change.at,
    })
    .returning<{ seq: number | string }[]>("seq");
  const row = rows[0];
  if (row === undefined) throw new Error("insert into changes returned no row");
  return toInt(row.seq);
}

export interface ChangesPage {
  companyId: number;
  userId: number;
  since: number;
  limit: number;
}

/** The company's changes this user may see, after `since`, oldest first. */
export async function listChanges(db: Knex, page: ChangesPage): Promise<ChangesReply> {
  const rows = await db<ChangeRow>("changes")
    .select("seq", "entity", "entity_id", "op", "data", "at")
    .where("company_id", page.companyId)
    .andWhere((q) => {
      void q.whereNull("audience_user_id").orWhere("audience_user_id", page.userId);
    })
    .andWhere("seq", ">", page.since)
    .orderBy("seq")
    .limit(page.limit + 1);
  const changes = rows.slice(0, page.limit).map(
    (row): Change => ({
      seq: toInt(row.seq),
      entity: row.entity,
      entityId: row.entity_id,
      op: row.op,
      data: JSON.parse(row.data) as unknown,
      at: toInt(row.at),
    }),
  );
  return { changes, next: changes.at(-1)?.seq ?? page.since, hasMore: rows.length > page.limit };
}
