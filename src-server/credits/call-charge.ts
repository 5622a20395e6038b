import type { Knex } from "knex";
import { callCostMicros } from "../../src-shared/credits/cost";
import type { Rater } from "../../src-shared/credits/rater";
import { splitCharge } from "../../src-shared/credits/split-charge";
import type { TariffRow } from "../../src-shared/credits/tariff";
import type { CallFields } from "../calls/call-fields";
import type { CallRecord } from "../db/calls-repo";
import { toInt } from "../db/row-values";
import type { CreditEffects } from "./credit-effects";
import { lockBalance, type BalanceSnapshot, type NewLedgerEntry } from "./ledger-repo";
import { writeCredit } from "./ledger-write";
import type { RaterCache } from "./rater-cache";
import { releaseHold } from "./call-holds";
import { catchUpBeforeCharge } from "./scheduler";
import { listTariffVersions, versionAt } from "./tariff-repo";

/** The tariff version in force when a call started, and its rater. */
export interface CallPricing {
  version: number;
  rater: Rater<TariffRow>;
}

export async function pricingAt(trx: Knex.Transaction, raters: RaterCache, startedAt: number): Promise<CallPricing | null> {
  const version = versionAt(await listTariffVersions(trx), startedAt);
  return version === null ? null : { version: version.id, rater: await raters.get(trx, version.id) };
}

/** An ended call's cost at the rate in force at its start; unanswered calls cost 0. Other calls are left unpriced. */
export function priceCall(call: CallFields, pricing: CallPricing | null): CallFields {
  if (call.status !== "ended" || pricing === null) return call;
  const row = call.billedSeconds > 0 ? pricing.rater.rate(call.number, call.startedAt) : null;
  return { ...call, costMicros: row === null ? 0 : callCostMicros(call.billedSeconds, row), tariffVersion: pricing.version };
}

async function chargedSoFar(trx: Knex.Transaction, companyId: number, pbxUniqueid: string): Promise<number> {
  const [row] = await trx("ledger_entries").where({ company_id: companyId, pbx_uniqueid: pbxUniqueid, kind: "call_charge" }).sum<{ total: number | string | null }[]>({ total: "amount_micros" });
  return row?.total == null ? 0 : -toInt(row.total);
}

/** What one call owes, as plain data, derived from its call row. */
export interface CallCharge {
  companyId: number;
  pbxUniqueid: string;
  callId: number | null;
  userId: number | null;
  number: string;
  destination: string | null;
  billedSeconds: number;
  tariffVersion: number | null;
  costMicros: number;
}

/** The entries paying `due` for the call: bonus first, then purchased; what neither covers takes purchased below zero. */
function chargeEntries(charge: CallCharge, balance: BalanceSnapshot, due: number): NewLedgerEntry[] {
  const split = splitCharge(due, balance);
  const { companyId: _company, costMicros, ...call } = charge;
  const common = { ...call, kind: "call_charge" as const };
  const key = `call:${charge.pbxUniqueid}:${costMicros}`;
  const entries: NewLedgerEntry[] = [];
  if (split.fromBonusMicros > 0) entries.push({ ...common, bucket: "bonus", amountMicros: -split.fromBonusMicros, idempotencyKey: `${key}:bonus` });
  const fromPurchased = split.fromPurchasedMicros + split.shortfallMicros;
  if (fromPurchased > 0) {
    const short = split.shortfallMicros > 0 ? ({ noteCode: "credit_short", noteValue: split.shortfallMicros } as const) : {};
    entries.push({ ...common, bucket: "purchased", amountMicros: -fromPurchased, idempotencyKey: `${key}:purchased`, ...short });
  }
  return entries;
}

/**
 * Inside `trx`, the one path from a call's cost to the ledger: first the
 * company's monthly grants and expiries due by now, then what the cost
 * exceeds what was charged for the call already (any number of retries
 * charge once; the keys, from the PBX uniqueid and the cost, guard the same
 * under a race), then the call's hold released in the same commit.
 */
export async function postCallCharge(trx: Knex.Transaction, charge: CallCharge, now: number, effects: CreditEffects): Promise<void> {
  await catchUpBeforeCharge(trx, charge.companyId, now, effects);
  let fromBonus = 0;
  if (charge.costMicros > 0) {
    const balance = await lockBalance(trx, charge.companyId);
    const due = charge.costMicros - (await chargedSoFar(trx, charge.companyId, charge.pbxUniqueid));
    if (due > 0) {
      const entries = chargeEntries(charge, balance, due);
      fromBonus = -(entries.find((e) => e.bucket === "bonus")?.amountMicros ?? 0);
      await writeCredit(trx, charge.companyId, entries, now, effects);
    }
  }
  await releaseHold(trx, charge.companyId, charge.pbxUniqueid, fromBonus, now, effects);
}

/** Inside the transaction that ended the call: its cost (if any) charged and its hold released, in that commit. */
export async function chargeCall(trx: Knex.Transaction, call: CallRecord, pricing: CallPricing | null, now: number, effects: CreditEffects): Promise<void> {
  if (call.status !== "ended") return;
  effects.endedCalls.push(call.pbxUniqueid);
  await postCallCharge(
    trx,
    {
      companyId: call.companyId,
      pbxUniqueid: call.pbxUniqueid,
      callId: call.id,
      userId: call.userId,
      number: call.number,
      destination: pricing?.rater.rate(call.number, call.startedAt)?.destination ?? null,
      billedSeconds: call.billedSeconds,
      tariffVersion: call.tariffVersion,
      costMicros: call.costMicros ?? 0,
    },
    now,
    effects,
  );
}
