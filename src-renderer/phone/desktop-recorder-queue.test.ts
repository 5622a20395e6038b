import { describe, expect, it } from "vitest";
import { ChunkQueue, type RecorderSink } from "./desktop-recorder-queue";

const pcm = (value: number): ArrayBuffer => new Int16Array([value, value]).buffer;
const valueOf = (base64: string): number => new Int16Array(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer)[0]!;

/** A core that answers slowly and in a scripted way, logging what reached it. */
function slowSink(options: { delayMs?: (step: string) => number; failAppend?: (seq: number, attempt: number) => boolean; failStart?: boolean } = {}) {
  const log: string[] = [];
  const attempts = new Map<number, number>();
  const wait = (step: string) => new Promise((resolve) => setTimeout(resolve, options.delayMs?.(step) ?? 1));
  const sink: RecorderSink = {
    async start() {
      await wait("start");
      if (options.failStart) throw new Error("Desktop recording is not built yet.");
      log.push("start");
    },
    async append(seq, data) {
      await wait(`append ${seq}`);
      const attempt = (attempts.get(seq) ?? 0) + 1;
      attempts.set(seq, attempt);
      if (options.failAppend?.(seq, attempt)) throw new Error(`append ${seq} failed`);
      log.push(`append ${seq}=${valueOf(data)}`);
    },
    async stop() {
      await wait("stop");
      log.push("stop");
    },
  };
  return { sink, log, attempts };
}

describe("the chunk queue", () => {
  it("delivers start, every chunk with a rising seq, then stop, in order even when the core answers out of rhythm", async () => {
    const { sink, log } = slowSink({ delayMs: (step) => (step === "append 1" ? 30 : step === "start" ? 15 : 1) });
    const failures: unknown[] = [];
    const queue = new ChunkQueue(sink, { onFailed: (e) => failures.push(e) });
    queue.start();
    for (let i = 0; i < 5; i++) queue.push(pcm(i * 10));
    await queue.finish();
    expect(log).toEqual(["start", "append 0=0", "append 1=10", "append 2=20", "append 3=30", "append 4=40", "stop"]);
    expect(failures).toEqual([]);
    expect(queue.chunkCount).toBe(5);
  });

  it("retries a failed chunk with the same seq before sending the next", async () => {
    const { sink, log, attempts } = slowSink({ failAppend: (seq, attempt) => seq === 1 && attempt < 3 });
    const queue = new ChunkQueue(sink, { retryDelaysMs: [1, 1, 1], onFailed: () => undefined });
    queue.start();
    queue.push(pcm(1));
    queue.push(pcm(2));
    queue.push(pcm(3));
    await queue.finish();
    expect(attempts.get(1)).toBe(3);
    expect(log).toEqual(["start", "append 0=1", "append 1=2", "append 2=3", "stop"]);
    expect(queue.failed).toBe(false);
  });

  it("fails loudly when a chunk cannot be delivered, sends nothing after the gap, and still closes the file", async () => {
    const { sink, log } = slowSink({ failAppend: (seq) => seq === 1 });
    const failures: unknown[] = [];
    const queue = new ChunkQueue(sink, { retryDelaysMs: [1], onFailed: (e) => failures.push(e) });
    queue.start();
    for (let i = 0; i < 4; i++) queue.push(pcm(i));
    await queue.finish();
    queue.push(pcm(9));
    expect(failures).toHaveLength(1);
    expect(String(failures[0])).toContain("append 1 failed");
    expect(log).toEqual(["start", "append 0=0", "stop"]);
    expect(queue.failed).toBe(true);
  });

  it("sends no chunk when the core refuses to start", async () => {
    const { sink, log } = slowSink({ failStart: true });
    const failures: unknown[] = [];
    const queue = new ChunkQueue(sink, { retryDelaysMs: [], onFailed: (e) => failures.push(e) });
    queue.start();
    queue.push(pcm(1));
    queue.push(pcm(2));
    await queue.finish();
    expect(failures.map(String)).toEqual(["Error: Desktop recording is not built yet."]);
    expect(log).toEqual(["stop"]);
  });

  it("fails instead of growing without bound when the core stalls", async () => {
    const { sink, log } = slowSink({ delayMs: (step) => (step === "start" ? 40 : 1) });
    const failures: unknown[] = [];
    const queue = new ChunkQueue(sink, { maxQueued: 3, onFailed: (e) => failures.push(e) });
    queue.start();
    for (let i = 0; i < 5; i++) queue.push(pcm(i));
    await queue.finish();
    expect(failures.map(String)).toEqual(["Error: The recording fell behind: 3 chunks waiting."]);
    expect(log).toEqual(["start", "stop"]);
  });
});
