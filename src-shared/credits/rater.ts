import { CallerError } from "../errors";
import { isTariffPrefix, periodsOverlap } from "./tariff";
import type { TariffRow } from "./tariff";

export interface Rater<R extends TariffRow = TariffRow> {
  /** The row in force at `atMs` for the longest matching prefix, or null (no row: the destination is blocked). */
  rate(e164: string, atMs: number): R | null;
  readonly prefixCount: number;
  readonly nodeCount: number;
  /** The rows it rates with, in trie order (a preview compares a file with them). */
  readonly rows: readonly R[];
  /** Bytes held by the trie's typed arrays (rows themselves not counted). */
  readonly trieBytes: number;
}

const fanout = 10;
const plus = 43;
const zero = 48;

/**
 * A tariff's trie as plain typed arrays (transferable between threads): node
 * n's child for digit d is `children[n * 10 + d]` (0 = none; the root is node
 * 0 and nobody's child). Each node with rows owns a slice of `order` (indexes
 * into the rows it was built from), sorted by effectiveFrom.
 */
export interface RaterIndex {
  children: Int32Array;
  rowStart: Int32Array;
  rowCount: Int32Array;
  from: Float64Array;
  to: Float64Array;
  order: Int32Array;
  prefixCount: number;
  nodeCount: number;
}

/** The trie of `rows`; the slow half of building a rater, so it can run where the file is parsed. */
export function indexTariff(rows: readonly TariffRow[]): RaterIndex {
  let children = new Int32Array(fanout * 1024);
  let nodeCount = 1;
  const rowsAtNode = new Map<number, number[]>();
  rows.forEach((row, at) => {
    if (!isTariffPrefix(row.prefix)) throw new CallerError("bad_request", `tariff prefix "${row.prefix}" is not 1–15 digits`);
    let node = 0;
    for (let i = 0; i < row.prefix.length; i += 1) {
      const slot = node * fanout + row.prefix.charCodeAt(i) - zero;
      let child = children[slot]!;
      if (child === 0) {
        if ((nodeCount + 1) * fanout > children.length) {
          const grown = new Int32Array(children.length * 2);
          grown.set(children);
          children = grown;
        }
        child = nodeCount;
        nodeCount += 1;
        children[slot] = child;
      }
      node = child;
    }
    const list = rowsAtNode.get(node);
    if (list) list.push(at);
    else rowsAtNode.set(node, [at]);
  });
  children = children.slice(0, nodeCount * fanout);

  const rowStart = new Int32Array(nodeCount);
  const rowCount = new Int32Array(nodeCount);
  const from = new Float64Array(rows.length);
  const to = new Float64Array(rows.length);
  const order = new Int32Array(rows.length);
  let placed = 0;
  for (const [node, list] of rowsAtNode) {
    list.sort((a, b) => rows[a]!.effectiveFrom - rows[b]!.effectiveFrom);
    rowStart[node] = placed;
    rowCount[node] = list.length;
    list.forEach((at, i) => {
      const row = rows[at]!;
      const previous = i > 0 ? rows[list[i - 1]!] : undefined;
      if (previous && periodsOverlap(previous, row)) {
        throw new CallerError("bad_request", `tariff has overlapping effective periods for prefix ${row.prefix}`);
      }
      from[placed] = row.effectiveFrom;
      to[placed] = row.effectiveTo ?? Number.POSITIVE_INFINITY;
      order[placed] = at;
      placed += 1;
    });
  }
  return { children, rowStart, rowCount, from, to, order, prefixCount: rowsAtNode.size, nodeCount };
}

export function buildRater<R extends TariffRow>(rows: readonly R[]): Rater<R> {
  return raterOver(indexTariff(rows), rows);
}

/** A rater over `rows` with the trie `indexTariff(rows)` built (maybe on another thread): linear, no sorting. */
export function raterOver<R extends TariffRow>(index: RaterIndex, rows: readonly R[]): Rater<R> {
  const { children, rowStart, rowCount, from, to, nodeCount } = index;
  if (index.order.length !== rows.length) throw new Error(`a tariff index of ${index.order.length} rows over ${rows.length} rows`);
  const ordered = Array.from(index.order, (at) => rows[at]!);

  /** Index of the node's row in force at atMs, or -1: the last row starting at or before atMs, if it has not ended. */
  function inForce(node: number, atMs: number): number {
    let lo = rowStart[node]!;
    let hi = lo + rowCount[node]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (from[mid]! <= atMs) lo = mid + 1;
      else hi = mid;
    }
    const found = lo - 1;
    return found >= rowStart[node]! && atMs < to[found]! ? found : -1;
  }

  function rate(e164: string, atMs: number): R | null {
    const length = e164.length;
    if (length < 2 || length > 16 || e164.charCodeAt(0) !== plus || e164.charCodeAt(1) === zero) return null;
    let node = 0;
    let best = -1;
    let i = 1;
    for (; i < length; i += 1) {
      const digit = e164.charCodeAt(i) - zero;
      if (digit < 0 || digit > 9) return null;
      const child = children[node * fanout + digit]!;
      if (child === 0) break;
      node = child;
      if (rowCount[node] !== 0) {
        const found = inForce(node, atMs);
        if (found >= 0) best = found;
      }
    }
    // The rest of the number is not needed for the match, but must still be digits.
    for (i += 1; i < length; i += 1) {
      const digit = e164.charCodeAt(i) - zero;
      if (digit < 0 || digit > 9) return null;
    }
    return best < 0 ? null : ordered[best]!;
  }

  return {
    rate,
    rows: ordered,
    prefixCount: index.prefixCount,
    nodeCount,
    trieBytes: children.byteLength + rowStart.byteLength + rowCount.byteLength + from.byteLength + to.byteLength,
  };
}
