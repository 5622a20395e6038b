import type { Knex } from "knex";
import { localDate } from "../../src-shared/credits/zoned-calendar";
import type { UsageReply } from "../../src-shared/server-api/credits";
import { toInt } from "../db/row-values";

interface ChargeRow {
  pbx_uniqueid: string | null;
  user_id: number | null;
  user_name: string | null;
  destination: string | null;
  billed_seconds: number | null;
  amount_micros: number | string;
  created_at: number | string;
}

interface Spend {
  calls: number;
  billedSeconds: number;
  costMicros: number;
}

interface CallSpend {
  day: string;
  userId: number;
  userName: string;
  destination: string;
  billedSeconds: number;
  costMicros: number;
}

function add<K>(map: Map<K, Spend>, key: K, call: CallSpend): void {
  const spend = map.get(key) ?? { calls: 0, billedSeconds: 0, costMicros: 0 };
  map.set(key, { calls: spend.calls + 1, billedSeconds: spend.billedSeconds + call.billedSeconds, costMicros: spend.costMicros + call.costMicros });
}

const pad = (n: number): string => String(n).padStart(2, "0");

/**
 * Spend on calls charged in [from, to), from the ledger's call charges (a call
 * split over both buckets counts once): by day in the company's zone and
 * destination, by user, by destination. Biggest spend first, days in order.
 */
export async function usageBetween(db: Knex, companyId: number, timeZone: string, from: number, to: number): Promise<UsageReply> {
  const rows = await db("ledger_entries")
    .leftJoin("users", "users.id", "ledger_entries.user_id")
    .where({ "ledger_entries.company_id": companyId, "ledger_entries.kind": "call_charge" })
    .where("ledger_entries.created_at", ">=", from)
    .where("ledger_entries.created_at", "<", to)
    .orderBy("ledger_entries.id")
    .select<ChargeRow[]>("ledger_entries.pbx_uniqueid", "ledger_entries.user_id", "users.name as user_name", "ledger_entries.destination", "ledger_entries.billed_seconds", "ledger_entries.amount_micros", "ledger_entries.created_at");
  const calls = new Map<string, CallSpend>();
  rows.forEach((row, i) => {
    const key = row.pbx_uniqueid ?? `entry-${i}`;
    const known = calls.get(key);
    if (known !== undefined) {
      known.costMicros -= toInt(row.amount_micros);
      return;
    }
    const date = localDate(toInt(row.created_at), timeZone);
    calls.set(key, {
      day: `${date.year}-${pad(date.month)}-${pad(date.day)}`,
      userId: row.user_id === null ? 0 : toInt(row.user_id),
      userName: row.user_name ?? "",
      destination: row.destination ?? "Unknown",
      billedSeconds: row.billed_seconds ?? 0,
      costMicros: -toInt(row.amount_micros),
    });
  });
  const byDay = new Map<string, Spend>();
  const byUser = new Map<number, Spend>();
  const names = new Map<number, string>();
  const byDestination = new Map<string, Spend>();
  for (const call of calls.values()) {
    add(byDay, `${call.day}\u0000${call.destination}`, call);
    add(byUser, call.userId, call);
    names.set(call.userId, call.userName);
    add(byDestination, call.destination, call);
  }
  const bySpend = (a: Spend, b: Spend) => b.costMicros - a.costMicros;
  return {
    byDay: [...byDay]
      .map(([key, spend]) => {
        const [day = "", destination = ""] = key.split("\u0000");
        return { day, destination, ...spend };
      })
      .sort((a, b) => a.day.localeCompare(b.day) || bySpend(a, b)),
    byUser: [...byUser].map(([userId, spend]) => ({ userId, userName: names.get(userId) ?? "", ...spend })).sort(bySpend),
    byDestination: [...byDestination].map(([destination, spend]) => ({ destination, ...spend })).sort(bySpend),
  };
}
