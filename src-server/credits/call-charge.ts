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
import { checkLowBalance } from "./low-balance";
import { writeCredit } from "./ledger-write";
import { raterFor } from "./rater-cache";
import { sqliteConnection, sqliteLedger, type SqliteLedger } from "./sqlite-charge";
import { listTariffVersions, versionAt } from "./tariff-repo";

/** The tariff version in force when a call started, and its rater. */
export interface CallPricing {
  version: number;
  rater: Rater<TariffRow>;
}

export async function pricingAt(trx: Knex.Transaction, startedAt: number): Promise<CallPricing | null> {
  const version = versionAt(await listTariffVersions(trx), startedAt);
  return version === null ? null : { version: version.id, rater: await raterFor(trx, version.id) };
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

/** What one call owes, as plain data: the CDR path derives it from the call row, the bench posts it directly. */
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
 * Inside `trx`: charges what the call's cost exceeds what was charged for it
 * already, so any number of retries charge once (the keys, derived from the
 * PBX uniqueid and the cost, guard the same under a race).
 */
export async function postCallCharge(trx: Knex.Transaction, charge: CallCharge, now: number, effects: CreditEffects): Promise<void> {
  if (charge.costMicros <= 0) return;
  const connection = await sqliteConnection(trx);
  if (connection !== null) {
    const after = chargeOnSqlite(sqliteLedger(connection), charge, now, effects);
    if (after !== null) await checkLowBalanceOf(trx, after, now, effects);
    return;
  }
  const balance = await lockBalance(trx, charge.companyId);
  const due = charge.costMicros - (await chargedSoFar(trx, charge.companyId, charge.pbxUniqueid));
  if (due > 0) await writeCredit(trx, charge.companyId, chargeEntries(charge, balance, due), now, effects);
}

/**
 * SQLite, synchronously: the charge written (or found written already); the
 * balance after it when the low-balance rule has something to do, else null.
 */
export function chargeOnSqlite(ledger: SqliteLedger, charge: CallCharge, now: number, effects: CreditEffects): BalanceSnapshot | null {
  if (charge.costMicros <= 0) return null;
  const balance = ledger.balance(charge.companyId);
  const due = charge.costMicros - ledger.chargedSoFar(charge.companyId, charge.pbxUniqueid);
  if (due <= 0) return null;
  const { written, after } = ledger.post(charge.companyId, balance, chargeEntries(charge, balance, due), now);
  if (written === 0) return null;
  effects.balances.push(after);
  return ledger.lowBalanceNeedsAttention(after) ? after : null;
}

export async function checkLowBalanceOf(trx: Knex.Transaction, after: BalanceSnapshot, now: number, effects: CreditEffects): Promise<void> {
  const warning = await checkLowBalance(trx, after, now);
  if (warning !== null) effects.warnings.push(warning);
}

/** Inside the transaction that ended the call: its reservation goes after the commit, its cost (if any) is charged. */
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
