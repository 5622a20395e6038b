import { performance } from "node:perf_hooks";

/** One timed operation: `count` units of work done by `run`, reported as units per second. */
export interface Operation<C> {
  name: string;
  count: number;
  run(context: C): Promise<void>;
}

export interface Subject<C> {
  name: string;
  open(): Promise<C>;
  close(context: C): Promise<void>;
}

export interface SubjectResult {
  subject: string;
  /** Median ops/s per operation name. */
  opsPerSecond: Map<string, number>;
  /** Process RSS right after this subject's warm-up pass; warm-ups run in the order given, so the growth over the previous one is this subject's. */
  rssBytes: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) throw new RangeError("median of nothing");
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function runPass<C>(subject: Subject<C>, operations: readonly Operation<C>[]): Promise<Map<string, number>> {
  const rates = new Map<string, number>();
  const context = await subject.open();
  try {
    for (const op of operations) {
      const started = performance.now();
      await op.run(context);
      rates.set(op.name, op.count / ((performance.now() - started) / 1000));
    }
  } finally {
    await subject.close(context);
  }
  return rates;
}

/**
 * One warm-up pass per subject (not counted), then `repetitions` passes, each
 * on a fresh context. Subjects take turns pass by pass, in alternating order,
 * so a busy neighbour on the machine slows both alike.
 */
export async function compare<C>(subjects: readonly Subject<C>[], operations: readonly Operation<C>[], repetitions: number): Promise<SubjectResult[]> {
  const samples = subjects.map(() => new Map<string, number[]>(operations.map((op) => [op.name, []])));
  const rss = subjects.map(() => 0);
  for (let pass = 0; pass <= repetitions; pass += 1) {
    const order = subjects.map((_, i) => i);
    if (pass % 2 === 1) order.reverse();
    for (const i of order) {
      const rates = await runPass(subjects[i]!, operations);
      if (pass > 0) for (const [name, rate] of rates) samples[i]!.get(name)!.push(rate);
      if (pass === 0) rss[i] = process.memoryUsage().rss;
    }
  }
  return subjects.map((subject, i) => ({
    subject: subject.name,
    opsPerSecond: new Map([...samples[i]!].map(([name, values]) => [name, median(values)])),
    rssBytes: rss[i]!,
  }));
}

/** A plain-text table, columns padded, numbers right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function formatRate(opsPerSecond: number): string {
  return Math.round(opsPerSecond).toLocaleString("en-US");
}

export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
