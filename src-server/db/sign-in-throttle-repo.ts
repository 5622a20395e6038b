import type { Knex } from "knex";
import { toInt } from "./row-values";

/** When each count of attempts in a row locks the key until: 0 for none. Computed by the caller for one moment. */
export interface LockSchedule {
  /** `lockUntil[n - 1]` for the n-th attempt; the last entry for every later one. */
  lockUntil: readonly number[];
  /** Attempts whose previous one is older than this start counting from 1 again. */
  forgetBefore: number;
}

/**
 * Counts an attempt for `keyHash` unless it is locked now, in one statement,
 * so concurrent attempts (on any server instance) each get their own count and
 * none slips past a lock another has just set. The n-th attempt in a row sets
 * the lock the next one meets. Returns the count, or null when locked.
 */
export async function claimAttempt(db: Knex, keyHash: string, now: number, schedule: LockSchedule): Promise<number | null> {
  const next = "CASE WHEN sign_in_throttle.last_attempt_at < CAST(? AS BIGINT) THEN 1 ELSE sign_in_throttle.failures + 1 END";
  const cases = schedule.lockUntil.slice(0, -1).map((_, i) => `WHEN ${next} = ${i + 1} THEN CAST(? AS BIGINT)`);
  const lockFor = `CASE ${cases.join(" ")} ELSE CAST(? AS BIGINT) END`;
  const lockBindings = schedule.lockUntil.slice(0, -1).flatMap((at) => [schedule.forgetBefore, at]);
  const rows: unknown = await db.raw(
    `INSERT INTO sign_in_throttle (key_hash, failures, last_attempt_at, locked_until) VALUES (?, 1, CAST(? AS BIGINT), CAST(? AS BIGINT))
     ON CONFLICT (key_hash) DO UPDATE SET failures = ${next}, last_attempt_at = excluded.last_attempt_at, locked_until = ${lockFor}
     WHERE sign_in_throttle.locked_until <= CAST(? AS BIGINT)
     RETURNING failures`,
    [keyHash, now, schedule.lockUntil[0] ?? 0, schedule.forgetBefore, ...lockBindings, schedule.lockUntil.at(-1) ?? 0, now],
  );
  const [row] = returnedRows(rows) as Array<{ failures: number | string }>;
  return row === undefined ? null : toInt(row.failures);
}

/** Until when `keyHash` is locked (0: not). */
export async function lockedUntil(db: Knex, keyHash: string): Promise<number> {
  const row = await db("sign_in_throttle").where({ key_hash: keyHash }).first<{ locked_until: number | string } | undefined>("locked_until");
  return row === undefined ? 0 : toInt(row.locked_until);
}

/** Takes back one counted attempt (it succeeded, or another key refused it); below `lockFrom` the lock it set goes too. */
export async function refundAttempt(db: Knex, keyHash: string, lockFrom: number): Promise<void> {
  await db("sign_in_throttle")
    .where({ key_hash: keyHash })
    .where("failures", ">", 0)
    .update({ failures: db.raw("failures - 1"), locked_until: db.raw("CASE WHEN failures - 1 < ? THEN 0 ELSE locked_until END", [lockFrom]) });
}

export async function forgetKey(db: Knex, keyHash: string): Promise<void> {
  await db("sign_in_throttle").where({ key_hash: keyHash }).delete();
}

/** Keys with no attempt since `before` and no lock left: whatever was sprayed at the sign-in does not pile up. */
export async function pruneIdle(db: Knex, before: number, now: number): Promise<void> {
  await db("sign_in_throttle").where("last_attempt_at", "<", before).where("locked_until", "<=", now).delete();
}

/** knex.raw answers with the driver's shape: rows (better-sqlite3, sqlite3) or a result with `rows` (pg). */
function returnedRows(result: unknown): unknown[] {
  if (Array.isArray(result)) return result;
  if (typeof result === "object" && result !== null && "rows" in result && Array.isArray(result.rows)) return result.rows;
  return [];
}
