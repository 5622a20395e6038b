import type { Knex } from "knex";
import { minutesOf, type CallingHours } from "../../src-shared/dialer/calling-hours";
import { toInt } from "../db/row-values";

interface Row {
  days_mask: number | string;
  from_minute: number | string;
  to_minute: number | string;
}

const clock = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** The company's calling hours; null: no restriction. */
export async function readCallingHours(db: Knex, companyId: number): Promise<CallingHours | null> {
  const row = await db("company_calling_hours").where({ company_id: companyId }).first<Row | undefined>("days_mask", "from_minute", "to_minute");
  if (row === undefined) return null;
  const mask = toInt(row.days_mask);
  return { days: [0, 1, 2, 3, 4, 5, 6].filter((d) => (mask & (1 << d)) !== 0), from: clock(toInt(row.from_minute)), to: clock(toInt(row.to_minute)) };
}

/** Replaces them; null removes the restriction. */
export async function writeCallingHours(db: Knex, companyId: number, hours: CallingHours | null, now: number): Promise<void> {
  if (hours === null) {
    await db("company_calling_hours").where({ company_id: companyId }).delete();
    return;
  }
  const row = { days_mask: hours.days.reduce((mask, d) => mask | (1 << d), 0), from_minute: minutesOf(hours.from), to_minute: minutesOf(hours.to), updated_at: now };
  await db("company_calling_hours").insert({ company_id: companyId, ...row }).onConflict("company_id").merge(row);
}
