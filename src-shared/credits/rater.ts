import { CallerError } from "../errors";
import { isTariffPrefix, periodsOverlap, tariffKinds } from "./tariff";
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
    if (!isTariffPrefix(row.prefix)) throw new CallerError("bad_request", `tariff prefix "${row.prefix}" is not 1–15 digits`, { reason: "tariff_prefix_invalid", params: { prefix: row.prefix.slice(0, 300) } });
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
        throw new CallerError("bad_request", `tariff has overlapping effective periods for prefix ${row.prefix}`, { reason: "tariff_overlap", params: { prefix: row.prefix } });
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

/**
 * Where `e164` lands in the trie at `atMs`: the slot (index into `order`,
 * `from`, `to`) of the row in force for the longest matching prefix, or -1.
 */
function lookup(index: RaterIndex, e164: string, atMs: number): number {
  const { children, rowStart, rowCount, from, to } = index;
  const length = e164.length;
  if (length < 2 || length > 16 || e164.charCodeAt(0) !== plus || e164.charCodeAt(1) === zero) return -1;
  let node = 0;
  let best = -1;
  let i = 1;
  for (; i < length; i += 1) {
    const digit = e164.charCodeAt(i) - zero;
    if (digit < 0 || digit > 9) return -1;
    const child = children[node * fanout + digit]!;
    if (child === 0) break;
    node = child;
    const count = rowCount[node]!;
    if (count !== 0) {
      // The last row starting at or before atMs, if it has not ended.
      const first = rowStart[node]!;
      let lo = first;
      let hi = first + count;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (from[mid]! <= atMs) lo = mid + 1;
        else hi = mid;
      }
      const found = lo - 1;
      if (found >= first && atMs < to[found]!) best = found;
    }
  }
  // The rest of the number is not needed for the match, but must still be digits.
  for (i += 1; i < length; i += 1) {
    const digit = e164.charCodeAt(i) - zero;
    if (digit < 0 || digit > 9) return -1;
  }
  return best;
}

const trieBytesOf = (index: RaterIndex): number =>
  index.children.byteLength + index.rowStart.byteLength + index.rowCount.byteLength + index.from.byteLength + index.to.byteLength;

/** A rater over `rows` with the trie `indexTariff(rows)` built (maybe on another thread): linear, no sorting. */
export function raterOver<R extends TariffRow>(index: RaterIndex, rows: readonly R[]): Rater<R> {
  if (index.order.length !== rows.length) throw new Error(`a tariff index of ${index.order.length} rows over ${rows.length} rows`);
  const ordered = Array.from(index.order, (at) => rows[at]!);
  return {
    rate(e164, atMs) {
      const slot = lookup(index, e164, atMs);
      return slot < 0 ? null : ordered[slot]!;
    },
    rows: ordered,
    prefixCount: index.prefixCount,
    nodeCount: index.nodeCount,
    trieBytes: trieBytesOf(index),
  };
}

/**
 * A tariff as its trie plus its rows in columns, in trie order: typed arrays
 * only, so it crosses threads by transfer (no copy) and a server holding a
 * 400,000-row version keeps ~30 MB outside the JS heap instead of 400,000
 * objects for the garbage collector to walk.
 */
export interface PackedTariff {
  index: RaterIndex;
  ratePerMinuteMicros: Float64Array;
  connectionFeeMicros: Float64Array;
  incrementFirst: Int32Array;
  incrementNext: Int32Array;
  /** Index into `tariffKinds`. */
  kind: Uint8Array;
  /** Prefixes and destinations, UTF-8, one after another: row n's prefix ends at textEnds[2n], its destination at textEnds[2n + 1]. */
  text: Uint8Array;
  textEnds: Int32Array;
}

/** Bytes of `text` in UTF-8 (a lone surrogate becomes U+FFFD, 3 bytes, as TextEncoder writes it). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

/** The trie and columns of `rows` (throws like `indexTariff` on a bad prefix or overlapping periods). */
export function packTariff(rows: readonly TariffRow[]): PackedTariff {
  const index = indexTariff(rows);
  const count = rows.length;
  const ratePerMinuteMicros = new Float64Array(count);
  const connectionFeeMicros = new Float64Array(count);
  const incrementFirst = new Int32Array(count);
  const incrementNext = new Int32Array(count);
  const kind = new Uint8Array(count);
  const textEnds = new Int32Array(count * 2);
  let text = "";
  let bytes = 0;
  for (let slot = 0; slot < count; slot += 1) {
    const row = rows[index.order[slot]!]!;
    ratePerMinuteMicros[slot] = row.ratePerMinuteMicros;
    connectionFeeMicros[slot] = row.connectionFeeMicros;
    incrementFirst[slot] = row.increments.first;
    incrementNext[slot] = row.increments.next;
    kind[slot] = tariffKinds.indexOf(row.kind);
    // One string encoded once: 800,000 small encodes would cost more than the trie.
    text += row.prefix;
    bytes += utf8Length(row.prefix);
    textEnds[slot * 2] = bytes;
    text += row.destination;
    bytes += utf8Length(row.destination);
    textEnds[slot * 2 + 1] = bytes;
  }
  const encoded = new TextEncoder().encode(text);
  if (encoded.length !== bytes) throw new Error(`a packed tariff of ${encoded.length} bytes, ${bytes} expected`);
  return { index, ratePerMinuteMicros, connectionFeeMicros, incrementFirst, incrementNext, kind, text: encoded, textEnds };
}

/** The buffers of a packed tariff, to hand to another thread without copying. */
export function packedBuffers(packed: PackedTariff): ArrayBuffer[] {
  const { index } = packed;
  return [
    index.children,
    index.rowStart,
    index.rowCount,
    index.from,
    index.to,
    index.order,
    packed.ratePerMinuteMicros,
    packed.connectionFeeMicros,
    packed.incrementFirst,
    packed.incrementNext,
    packed.kind,
    packed.text,
    packed.textEnds,
  ].map((array) => array.buffer as ArrayBuffer);
}

/** A rater over a packed tariff: the row a call is rated with is made when asked for (about a microsecond). */
export function packedRater(packed: PackedTariff): Rater<TariffRow> {
  const { index, text, textEnds } = packed;
  const decoder = new TextDecoder();
  const rowAt = (slot: number): TariffRow => {
    const prefixStart = slot === 0 ? 0 : textEnds[slot * 2 - 1]!;
    const prefixEnd = textEnds[slot * 2]!;
    const to = index.to[slot]!;
    return {
      prefix: decoder.decode(text.subarray(prefixStart, prefixEnd)),
      destination: decoder.decode(text.subarray(prefixEnd, textEnds[slot * 2 + 1])),
      kind: tariffKinds[packed.kind[slot]!]!,
      ratePerMinuteMicros: packed.ratePerMinuteMicros[slot]!,
      connectionFeeMicros: packed.connectionFeeMicros[slot]!,
      increments: { first: packed.incrementFirst[slot]!, next: packed.incrementNext[slot]! },
      effectiveFrom: index.from[slot]!,
      effectiveTo: to === Number.POSITIVE_INFINITY ? null : to,
    };
  };
  return {
    rate(e164, atMs) {
      const slot = lookup(index, e164, atMs);
      return slot < 0 ? null : rowAt(slot);
    },
    // Made whole only for the rare reader of every row (the rates list, a preview run inline).
    get rows() {
      return Array.from({ length: index.order.length }, (_, slot) => rowAt(slot));
    },
    prefixCount: index.prefixCount,
    nodeCount: index.nodeCount,
    trieBytes: trieBytesOf(index) + packed.ratePerMinuteMicros.byteLength * 2 + packed.incrementFirst.byteLength * 2 + packed.kind.byteLength + text.byteLength + textEnds.byteLength,
  };
}
