import type { Knex } from "knex";

export interface ChargeCheck {
  /** Call records of the run (one per PBX uniqueid). */
  calls: number;
  answered: number;
  /** Answered calls whose charges add up to their cost, exactly once. */
  chargedOnce: number;
  /** Answered calls with no charge, or less than their cost. */
  uncharged: number;
  /** Calls charged more than their cost (a CDR applied twice). */
  overcharged: number;
  /** Answered calls by the PBX that handled them (the uniqueid's system name). */
  perPbx: Record<string, number>;
  /** The answered calls' PBX uniqueids (their recordings are named after them). */
  uniqueids: string[];
}

interface CallRow {
  id: number;
  pbx_uniqueid: string;
  disposition: string;
  cost_micros: number | string | null;
}

/** The PBX's system name from its uniqueid (`<systemname>-<epoch>.<n>`). */
const pbxOf = (uniqueid: string): string => uniqueid.replace(/-\d+\.\d+$/, "");

/** Every call the company's users made since `since`, against the ledger's call charges. */
export async function checkCharges(db: Knex, companyId: number, since: number): Promise<ChargeCheck> {
  const calls = await db("calls").where({ company_id: companyId }).andWhere("started_at", ">=", since).select<CallRow[]>("id", "pbx_uniqueid", "disposition", "cost_micros");
  const charges = await db("ledger_entries")
    .where({ company_id: companyId, kind: "call_charge" })
    .whereIn(
      "call_id",
      calls.map((call) => call.id),
    )
    .groupBy("call_id")
    .select("call_id")
    .sum<{ call_id: number | string; total: number | string }[]>({ total: "amount_micros" });
  const charged = new Map(charges.map((row) => [Number(row.call_id), -Number(row.total)]));
  const check: ChargeCheck = { calls: calls.length, answered: 0, chargedOnce: 0, uncharged: 0, overcharged: 0, perPbx: {}, uniqueids: [] };
  for (const call of calls) {
    if (call.disposition !== "answered") continue;
    check.answered += 1;
    check.uniqueids.push(call.pbx_uniqueid);
    const pbx = pbxOf(call.pbx_uniqueid);
    check.perPbx[pbx] = (check.perPbx[pbx] ?? 0) + 1;
    const cost = Number(call.cost_micros ?? 0);
    const paid = charged.get(call.id) ?? 0;
    if (cost > 0 && paid === cost) check.chargedOnce += 1;
    else if (paid > cost) check.overcharged += 1;
    else check.uncharged += 1;
  }
  return check;
}

/** Polls until the number of answered, charged calls stops growing (CDRs and charges trail the BYE). */
export async function settledCharges(db: Knex, companyId: number, since: number, expected: number, timeoutMs = 60_000): Promise<ChargeCheck> {
  const deadline = Date.now() + timeoutMs;
  let last = await checkCharges(db, companyId, since);
  while (Date.now() < deadline && last.chargedOnce + last.overcharged < expected) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    last = await checkCharges(db, companyId, since);
  }
  return last;
}
