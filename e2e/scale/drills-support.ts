import { readFile } from "node:fs/promises";
import { join } from "node:path";
import knex, { type Knex } from "knex";
import type { ScaleFacts, ScalePbx } from "../support/scale-topology";
import type { SippTarget } from "../../bench/scale-load/sipp";

/** A knex on the topology's PostgreSQL (the test reads what the servers wrote). */
export async function scaleDb(facts: ScaleFacts): Promise<Knex> {
  const secret = (await readFile(join(facts.dir, "secrets/pg"), "utf8")).trim();
  return knex({ client: "pg", connection: `postgres://caller:${secret}@${facts.database}/caller`, pool: { min: 0, max: 2 } });
}

/** sipp towards Kamailio's UDP port, from an address of the topology's net the components do not use. */
export function kamailioTarget(facts: ScaleFacts, host: number, mediaPort: number): SippTarget {
  const kamailio = new URL(facts.sipWsUrl).hostname;
  const net = kamailio.split(".").slice(0, 3).join(".");
  return { host: kamailio, port: 5060, localAddress: `${net}.${host}`, localPort: 5060, mediaPort };
}

export interface CallRow {
  id: number;
  user_id: number;
  pbx_uniqueid: string;
  status: string;
  disposition: string;
  interrupted: boolean;
  started_at: string;
  /** From the CDR, at the end; while the call is live, live_answered_at (AMI's DialEnd) says it was answered. */
  answered_at: string | null;
  live_answered_at: string | null;
  ended_at: string | null;
  cost_micros: string | null;
}

export async function callsOf(db: Knex, userIds: readonly number[], since: number): Promise<CallRow[]> {
  return (await db("calls").whereIn("user_id", userIds).andWhere("started_at", ">=", since).orderBy("id")) as CallRow[];
}

/** Each call's charges, summed (a call may take from two buckets). */
export async function chargesOf(db: Knex, callIds: readonly number[]): Promise<Map<number, { total: number; entries: number }>> {
  const rows = await db("ledger_entries")
    .where({ kind: "call_charge" })
    .whereIn("call_id", callIds)
    .groupBy("call_id")
    .select("call_id")
    .count({ entries: "*" })
    .sum<{ call_id: number; total: string; entries: string }[]>({ total: "amount_micros" });
  return new Map(rows.map((row) => [Number(row.call_id), { total: -Number(row.total), entries: Number(row.entries) }]));
}

/** The topology PBX whose system name made this uniqueid (`caller-pbx-<instance>-<epoch>.<n>`). */
export function pbxOfCall(facts: ScaleFacts, uniqueid: string): ScalePbx | undefined {
  const system = uniqueid.replace(/-\d+\.\d+$/, "");
  return facts.pbxs.find((pbx) => system.endsWith(`-${pbx.name}`));
}
