import { CallerError } from "../errors";
import { isTariffPrefix, periodsOverlap } from "./tariff";
import type { TariffRow } from "./tariff";

export interface Rater<R extends TariffRow = TariffRow> {
  /** The row in force at `atMs` for the longest matching prefix, or null (no row: the destination is blocked). */
  rate(e164: string, atMs: number): R | null;
  readonly prefixCount: number;
  readonly nodeCount: number;
  /** Bytes held by the trie's typed arrays (rows themselves not counted). */
  readonly trieBytes: number;
}

const fanout = 10;
const plus = 43;
const zero = 48;

/**
 * A digit trie in flat typed arrays: node n's child for digit d is
 * `children[n * 10 + d]` (0 = none; the root is node 0 and nobody's child).
 * Each node with rows owns a slice of the row arrays, sorted by effectiveFrom.
 */
export function buildRater<R extends TariffRow>(rows: readonly R[]): Rater<R> {
  let children = new Int32Array(fanout * 1024);
  let nodeCount = 1;
  const rowsAtNode = new Map<number, R[]>();
  for (const row of rows) {
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
    if (list) list.push(row);
    else rowsAtNode.set(node, [row]);
  }
  children = children.slice(0, nodeCount * fanout);

  const rowStart = new Int32Array(nodeCount);
  const rowCount = new Int32Array(nodeCount);
  const from = new Float64Array(rows.length);
  const to = new Float64Array(rows.length);
  const ordered: R[] = [];
  for (const [node, list] of rowsAtNode) {
    list.sort((a, b) => a.effectiveFrom - b.effectiveFrom);
    rowStart[node] = ordered.length;
    rowCount[node] = list.length;
    list.forEach((row, i) => {
      const previous = list[i - 1];
      if (previous && periodsOverlap(previous, row)) {
        throw new CallerError("bad_request", `tariff has overlapping effective periods for prefix ${row.prefix}`);
      }
      from[ordered.length] = row.effectiveFrom;
      to[ordered.length] = row.effectiveTo ?? Number.POSITIVE_INFINITY;
      ordered.push(row);
    });
  }

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
    prefixCount: rowsAtNode.size,
    nodeCount,
    trieBytes: children.byteLength + rowStart.byteLength + rowCount.byteLength + from.byteLength + to.byteLength,
  };
}
