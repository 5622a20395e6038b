import { isIP } from "node:net";
import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import { toInt } from "../db/row-values";

/**
 * SIP sources banned after repeated authentication failures (sip-ban-watch.ts
 * decides), kept in `sip_bans` and written into every Asterisk's ACL (sip-ban-acl.ts),
 * so Asterisk itself answers a banned source 403 before anything else runs.
 *
 * For the operator's tools: `listSipBans(db)`, `getSipBan(db, id)` and `liftSipBan(db, address, by)`.
 */
export interface SipBan {
  id: number;
  address: string;
  /** Failures counted in the window that led to the ban. */
  failures: number;
  firstFailureAt: number;
  bannedAt: number;
  /** UTC ms; the ban ends by itself then. */
  bannedUntil: number;
  /** Who lifted it early (an operator's name), or null. */
  liftedBy: string | null;
  liftedAt: number | null;
}

interface SipBanRow {
  id: number;
  address: string;
  failures: number;
  first_failure_at: number | string;
  banned_at: number | string;
  banned_until: number | string;
  lifted_by: string | null;
  lifted_at: number | string | null;
}

function toBan(row: SipBanRow): SipBan {
  return {
    id: toInt(row.id),
    address: row.address,
    failures: toInt(row.failures),
    firstFailureAt: toInt(row.first_failure_at),
    bannedAt: toInt(row.banned_at),
    bannedUntil: toInt(row.banned_until),
    liftedBy: row.lifted_by,
    liftedAt: row.lifted_at === null ? null : toInt(row.lifted_at),
  };
}

/** An IP address as the ban list keeps it (IPv6 lowercased); anything else is a clear error. */
export function sipBanAddress(address: string): string {
  const trimmed = address.trim();
  if (isIP(trimmed) === 0) throw new CallerError("bad_request", `not an IP address: ${JSON.stringify(address.slice(0, 64))}`);
  return trimmed.toLowerCase();
}

const whereActive = (query: Knex.QueryBuilder, now: number): Knex.QueryBuilder => query.whereNull("lifted_at").andWhere("banned_until", ">", now);

/** Bans in force now (not expired, not lifted), oldest first. */
export async function activeSipBans(db: Knex, now: number): Promise<SipBan[]> {
  const rows = (await whereActive(db("sip_bans").select("*"), now).orderBy("id")) as SipBanRow[];
  return rows.map(toBan);
}

/**
 * The bans for an operator: those in force, newest first; with `history`, also the
 * expired and lifted ones (the latest 500).
 */
export async function listSipBans(db: Knex, options: { now?: number; history?: boolean } = {}): Promise<SipBan[]> {
  const now = options.now ?? Date.now();
  const query = db("sip_bans").select("*").orderBy("id", "desc").limit(500);
  const rows = (await (options.history === true ? query : whereActive(query, now))) as SipBanRow[];
  return rows.map(toBan);
}

export async function getSipBan(db: Knex, id: number): Promise<SipBan | null> {
  const row = (await db("sip_bans").where({ id }).first()) as SipBanRow | undefined;
  return row === undefined ? null : toBan(row);
}

/**
 * Ends every ban in force on `address` now, recording who did it; returns how many
 * it ended (0: none was in force). Asterisk lets the source in again once the
 * server holding the ACL job has rewritten its ACL (within about a second, sip-ban-acl.ts).
 */
export async function liftSipBan(db: Knex, address: string, by: string, now: number = Date.now()): Promise<number> {
  const who = by.trim();
  if (who === "" || who.length > 128) throw new CallerError("bad_request", "liftSipBan needs who lifts the ban (1-128 characters)");
  return whereActive(db("sip_bans").where({ address: sipBanAddress(address) }), now).update({ lifted_by: who, lifted_at: now });
}

/** Records a ban unless one is already in force on the address; returns the new ban, or null. */
export async function banSipAddress(
  db: Knex,
  ban: { address: string; failures: number; firstFailureAt: number; now: number; durationMs: number },
): Promise<SipBan | null> {
  const address = sipBanAddress(ban.address);
  return db.transaction(async (trx) => {
    const existing: unknown = await whereActive(trx("sip_bans").where({ address }), ban.now).first("id");
    if (existing !== undefined) return null;
    const row = {
      address,
      failures: ban.failures,
      first_failure_at: ban.firstFailureAt,
      banned_at: ban.now,
      banned_until: ban.now + ban.durationMs,
      lifted_by: null,
      lifted_at: null,
    };
    const inserted: unknown[] = await trx("sip_bans").insert(row).returning("id");
    // PostgreSQL and SQLite's RETURNING give { id }; some drivers give the bare id.
    const first = inserted[0];
    const id = typeof first === "object" && first !== null && "id" in first ? Number(first.id) : Number(first);
    return toBan({ id, ...row });
  });
}
