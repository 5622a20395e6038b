import { mkdir, open, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { CallerError } from "../../../src-shared/errors";
import { frameBytes, sizeFields, wavHeader, wavHeaderBytes } from "./wav-header";

export interface WavWriterOptions {
  /** How often the header's sizes are rewritten and the file fsynced while chunks arrive. */
  syncEveryMs?: number;
  now?: () => number;
}

/**
 * A two-channel 16-bit WAV written while the call happens. The header goes first with
 * zero sizes; chunks are appended in `seq` order (a repeat is ignored, a gap refused);
 * about once a second, and at close, the sizes are rewritten and the file fsynced, so
 * a crash loses at most the last second and `repairWav` makes the rest playable.
 */
export class WavWriter {
  readonly path: string;
  readonly sampleRate: number;
  readonly #file: FileHandle;
  readonly #syncEveryMs: number;
  readonly #now: () => number;
  #nextSeq = 0;
  #dataBytes = 0;
  #lastSyncAt: number;
  #chain: Promise<void> = Promise.resolve();
  #failure: Error | null = null;
  #closed = false;

  private constructor(path: string, sampleRate: number, file: FileHandle, options: WavWriterOptions) {
    this.path = path;
    this.sampleRate = sampleRate;
    this.#file = file;
    this.#syncEveryMs = options.syncEveryMs ?? 1000;
    this.#now = options.now ?? Date.now;
    this.#lastSyncAt = this.#now();
  }

  /** Creates (or replaces) the file with its header, fsynced before it returns. */
  static async create(path: string, sampleRate: number, options: WavWriterOptions = {}): Promise<WavWriter> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const file = await open(path, "w", 0o600);
    try {
      await file.write(wavHeader(sampleRate, 0), 0, wavHeaderBytes, 0);
      await file.sync();
    } catch (error) {
      await file.close();
      throw error;
    }
    return new WavWriter(path, sampleRate, file, options);
  }

  get frames(): number {
    return this.#dataBytes / frameBytes;
  }

  /** Appends chunk `seq` (interleaved s16le stereo); resolves once it is written. */
  append(seq: number, pcm: Buffer): Promise<"written" | "duplicate"> {
    if (this.#closed) return Promise.reject(new CallerError("conflict", "The recording is closed"));
    if (this.#failure !== null) return Promise.reject(new CallerError("internal", `The recording file failed: ${this.#failure.message}`));
    if (seq < this.#nextSeq) return Promise.resolve("duplicate");
    if (seq > this.#nextSeq) return Promise.reject(new CallerError("bad_request", `Chunk ${seq} arrived while ${this.#nextSeq} was expected: the recording would have a hole`));
    if (pcm.length % frameBytes !== 0) return Promise.reject(new CallerError("bad_request", `A chunk of ${pcm.length} bytes is not whole stereo 16-bit frames`));
    // Accepted now, in arrival order; the write itself queues behind the ones before it.
    this.#nextSeq += 1;
    return this.#queue(async () => {
      const at = wavHeaderBytes + this.#dataBytes;
      let done = 0;
      while (done < pcm.length) done += (await this.#file.write(pcm, done, pcm.length - done, at + done)).bytesWritten;
      this.#dataBytes += pcm.length;
      if (this.#now() - this.#lastSyncAt >= this.#syncEveryMs) await this.#syncHeader();
    }).then(() => "written" as const);
  }

  /** The final sizes, fsynced, and the file closed; returns the file's length. */
  async close(): Promise<number> {
    if (this.#closed) return wavHeaderBytes + this.#dataBytes;
    this.#closed = true;
    try {
      await this.#queue(() => this.#syncHeader());
    } finally {
      await this.#file.close();
    }
    return wavHeaderBytes + this.#dataBytes;
  }

  async #syncHeader(): Promise<void> {
    for (const [offset, bytes] of sizeFields(this.#dataBytes)) await this.#file.write(bytes, 0, 4, offset);
    await this.#file.sync();
    this.#lastSyncAt = this.#now();
  }

  #queue(task: () => Promise<void>): Promise<void> {
    const run = this.#chain.then(() => {
      // A failed write leaves a hole: nothing after it may land.
      if (this.#failure !== null) throw new CallerError("internal", `The recording file failed: ${this.#failure.message}`);
      return task();
    });
    this.#chain = run.catch((error: unknown) => {
      this.#failure ??= error instanceof Error ? error : new Error(String(error));
    });
    return run;
  }
}
