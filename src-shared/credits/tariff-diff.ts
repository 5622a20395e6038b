import type { TariffRow } from "./tariff";

export interface TariffRowChange {
  before: TariffRow;
  after: TariffRow;
}

export interface TariffDiff {
  added: TariffRow[];
  changed: TariffRowChange[];
  removed: TariffRow[];
  unchanged: number;
}

/** A row is one prefix from one instant: the same key in both files is the same rate, kept or changed. */
const keyOf = (row: TariffRow): string => `${row.prefix}\u0000${row.effectiveFrom}`;

const sameRate = (a: TariffRow, b: TariffRow): boolean =>
  a.destination === b.destination &&
  a.kind === b.kind &&
  a.ratePerMinuteMicros === b.ratePerMinuteMicros &&
  a.connectionFeeMicros === b.connectionFeeMicros &&
  a.increments.first === b.increments.first &&
  a.increments.next === b.increments.next &&
  a.effectiveTo === b.effectiveTo;

const byPrefix = (a: TariffRow, b: TariffRow): number => (a.prefix === b.prefix ? a.effectiveFrom - b.effectiveFrom : a.prefix < b.prefix ? -1 : 1);

/**
 * What importing `next` would change against `current`: rows added, changed
 * (same prefix and start, anything else different) and removed, each sorted
 * by prefix. Pure, so it can run wherever the file is parsed.
 */
export function diffTariff(current: readonly TariffRow[], next: readonly TariffRow[]): TariffDiff {
  const before = new Map(current.map((row) => [keyOf(row), row]));
  const added: TariffRow[] = [];
  const changed: TariffRowChange[] = [];
  let unchanged = 0;
  for (const row of next) {
    const key = keyOf(row);
    const old = before.get(key);
    before.delete(key);
    if (old === undefined) added.push(row);
    else if (sameRate(old, row)) unchanged += 1;
    else changed.push({ before: old, after: row });
  }
  return {
    added: added.sort(byPrefix),
    changed: changed.sort((a, b) => byPrefix(a.after, b.after)),
    removed: [...before.values()].sort(byPrefix),
    unchanged,
  };
}
