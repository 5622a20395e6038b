import { assertNever } from "../../src-shared/assert-never";
import { bytesToBase64 } from "./desktop-recorder-pcm";

/** Where the chunks go: the core's start/append/stop for one call. */
export interface RecorderSink {
  start(): Promise<void>;
  append(seq: number, pcm: string): Promise<void>;
  stop(): Promise<void>;
}

export interface ChunkQueueOptions {
  /** Waits between tries of one step; the core ignores a repeated chunk, so a retry is safe. */
  retryDelaysMs?: readonly number[];
  /** More chunks than this waiting (30 s at 250 ms) means the core is not keeping up: fail loudly. */
  maxQueued?: number;
  onFailed: (error: unknown) => void;
}

type Step = { kind: "start" } | { kind: "append"; seq: number; pcm: ArrayBuffer } | { kind: "stop" };

const defaultRetryDelaysMs = [250, 500, 1000, 2000];

/**
 * Sends one call's chunks to the core strictly in order, one at a time, each
 * with a rising `seq`: a slow core makes the queue grow, never reorders it.
 * A chunk that cannot be delivered fails the whole recording, visibly.
 */
export class ChunkQueue {
  private readonly steps: Step[] = [];
  private nextSeq = 0;
  private draining: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;
  private stopQueued = false;
  private readonly retryDelaysMs: readonly number[];
  private readonly maxQueued: number;

  constructor(
    private readonly sink: RecorderSink,
    private readonly options: ChunkQueueOptions,
  ) {
    this.retryDelaysMs = options.retryDelaysMs ?? defaultRetryDelaysMs;
    this.maxQueued = options.maxQueued ?? 120;
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  /** Chunks handed in so far (the next one's seq). */
  get chunkCount(): number {
    return this.nextSeq;
  }

  /** Steps not yet confirmed by the core. */
  get pending(): number {
    return this.steps.length;
  }

  start(): void {
    this.enqueue({ kind: "start" });
  }

  push(pcm: ArrayBuffer): void {
    if (this.failure || this.stopQueued) return;
    if (this.steps.length >= this.maxQueued) {
      this.fail(new Error(`The recording fell behind: ${this.steps.length} chunks waiting.`));
      return;
    }
    this.enqueue({ kind: "append", seq: this.nextSeq++, pcm });
  }

  /** Queues the stop after every chunk; resolves once all is sent (or the recording failed). */
  finish(): Promise<void> {
    if (!this.stopQueued) {
      this.stopQueued = true;
      this.enqueue({ kind: "stop" });
    }
    return this.draining ?? Promise.resolve();
  }

  private enqueue(step: Step): void {
    if (this.failure && step.kind !== "stop") return;
    this.steps.push(step);
    this.draining ??= this.drain().finally(() => (this.draining = null));
  }

  private async drain(): Promise<void> {
    for (let step = this.steps[0]; step !== undefined; step = this.steps[0]) {
      try {
        await this.withRetries(step);
      } catch (error) {
        if (step.kind !== "stop") this.fail(error);
      }
      this.steps.shift();
    }
  }

  private async withRetries(step: Step): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.send(step);
        return;
      } catch (error) {
        const delay = this.retryDelaysMs[attempt];
        // After a failure only the stop is still worth a single try: it closes the file with what was written.
        if (delay === undefined || (this.failure && step.kind === "stop")) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private send(step: Step): Promise<void> {
    switch (step.kind) {
      case "start":
        return this.sink.start();
      case "append":
        return this.sink.append(step.seq, bytesToBase64(new Uint8Array(step.pcm)));
      case "stop":
        return this.sink.stop();
      default:
        return assertNever(step, "recorder step");
    }
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    // What was waiting can no longer be written without a gap; the stop (if queued) still closes the file.
    const stop = this.steps.find((s) => s.kind === "stop");
    this.steps.splice(1);
    if (stop && this.steps[0] !== stop) this.steps.push(stop);
    this.options.onFailed(error);
  }
}
