import type { Knex } from "knex";
import { toInt } from "./row-values";

/** What the server last knew of one Asterisk (by its SystemName): when it started, was last seen alive, was lost. */
export interface PbxLiveness {
  systemName: string;
  startedAt: number | null;
  seenAt: number;
  lostAt: number | null;
}

interface PbxLivenessRow {
  system_name: string;
  started_at: number | string | null;
  seen_at: number | string;
  lost_at: number | string | null;
}

const intOrNull = (value: number | string | null): number | null => (value === null ? null : toInt(value));

export async function getPbxLiveness(db: Knex, systemName: string): Promise<PbxLiveness | undefined> {
  const row = await db<PbxLivenessRow>("pbx_liveness").where({ system_name: systemName }).first();
  return row === undefined ? undefined : { systemName: row.system_name, startedAt: intOrNull(row.started_at), seenAt: toInt(row.seen_at), lostAt: intOrNull(row.lost_at) };
}

export async function savePbxLiveness(db: Knex, liveness: PbxLiveness, now: number): Promise<void> {
  const row = { started_at: liveness.startedAt, seen_at: liveness.seenAt, lost_at: liveness.lostAt, updated_at: now };
  await db("pbx_liveness").insert({ system_name: liveness.systemName, ...row }).onConflict("system_name").merge(row);
}

/** Moves `seen_at` forward only (a late heartbeat never moves it back); nothing when the row is missing. */
export async function markPbxSeen(db: Knex, systemName: string, seenAt: number, now: number): Promise<void> {
  await db("pbx_liveness").where({ system_name: systemName }).andWhere("seen_at", "<", seenAt).update({ seen_at: seenAt, updated_at: now });
}

/** The connection to it dropped at `lostAt`: kept until a session with it starts again. */
export async function markPbxLost(db: Knex, systemName: string, lostAt: number, now: number): Promise<void> {
  await db("pbx_liveness").where({ system_name: systemName }).update({ lost_at: lostAt, updated_at: now });
}
