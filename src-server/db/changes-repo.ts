import type { Knex } from "knex";
import type { Change, ChangesReply } from "../../src-shared/server-api/changes";
import type { Role } from "../../src-shared/domain/company";
import { dialectOf } from "./open-database";
import { toInt } from "./row-values";

export interface NewChange {
  companyId: number;
  /** null: everyone in the company; otherwise only this user (and the company's admins, see `audienceAdmins`). */
  audienceUserId: number | null;
  /** A user's change the company's admins also see; by default a user's calls (admins filter history by user). */
  audienceAdmins?: boolean;
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

/** Entities whose per-user changes also reach the company's admins. */
const adminVisibleEntities: ReadonlySet<string> = new Set(["call"]);

/** "CHNG": the advisory-lock namespace for change-feed appends. */
const appendLockClass = 0x43484e47;

/** The NOTIFY channel of appended changes (payload: the company's id); readers wake and read by seq. */
export const changesChannel = "caller_changes";

/**
 * Called inside the transaction of the write it describes. On PostgreSQL a
 * per-company lock held to commit makes seqs commit in order, so a reader that
 * saw seq N never misses a smaller seq committed later. SQLite has one writer anyway.
 * The NOTIFY goes out at commit (never for a rollback), to every server.
 */
export async function appendChange(trx: Knex.Transaction, change: NewChange): Promise<number> {
  const [seq] = await appendChanges(trx, [change]);
  if (seq === undefined) throw new Error("insert into changes returned no row");
  return seq;
}

/**
 * Many changes in one statement (imports), as `appendChange` writes each; their
 * seqs in the order given. Keep a call to a few hundred: every change is 8 values.
 */
export async function appendChanges(trx: Knex.Transaction, changes: readonly NewChange[]): Promise<number[]> {
  if (changes.length === 0) return [];
  if (dialectOf(trx) === "postgres") {
    // One round trip per company for lock and notice, whatever the number of changes; locks in id order, so two such writes never wait on each other in a cycle.
    for (const companyId of [...new Set(changes.map((change) => change.companyId))].sort((a, b) => a - b)) {
      await trx.raw("select pg_advisory_xact_lock(?, ?), pg_notify(?, ?)", [appendLockClass, companyId, changesChannel, String(companyId)]);
    }
  }
  const rows = await trx("changes")
    .insert(
      changes.map((change) => ({
        company_id: change.companyId,
        audience_user_id: change.audienceUserId,
        audience_admins: change.audienceUserId !== null && (change.audienceAdmins ?? adminVisibleEntities.has(change.entity)),
        entity: change.entity,
        entity_id: change.entityId,
        op: change.op,
        data: JSON.stringify(change.data ?? null),
        at: change.at,
      })),
    )
    .returning<{ seq: number | string }[]>("seq");
  if (rows.length !== changes.length) throw new Error(`insert into changes returned ${rows.length} rows for ${changes.length}`);
  return rows.map((row) => toInt(row.seq));
}

export interface ChangesPage {
  companyId: number;
  userId: number;
  /** An admin also reads the changes addressed to the company's admins (every user's calls). */
  role?: Role;
  since: number;
  limit: number;
  /** Also count what is left after this page (the app's "N of M"; one count per sync, not per page). */
  withRemaining?: boolean;
}

function visibleTo(db: Knex, page: ChangesPage) {
  return db<ChangeRow>("changes")
    .where("company_id", page.companyId)
    .andWhere((q) => {
      void q.whereNull("audience_user_id").orWhere("audience_user_id", page.userId);
      if (page.role === "admin") void q.orWhere("audience_admins", true);
    });
}

/** The company's changes this user may see, after `since`, oldest first. */
export async function listChanges(db: Knex, page: ChangesPage): Promise<ChangesReply> {
  const rows = await visibleTo(db, page)
    .select("seq", "entity", "entity_id", "op", "data", "at")
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
  const next = changes.at(-1)?.seq ?? page.since;
  const hasMore = rows.length > page.limit;
  if (page.withRemaining !== true) return { changes, next, hasMore };
  const left = hasMore ? await visibleTo(db, page).andWhere("seq", ">", next).count({ n: "*" }).first() : undefined;
  return { changes, next, hasMore, remaining: left === undefined ? 0 : toInt(left.n as number | string) };
}
