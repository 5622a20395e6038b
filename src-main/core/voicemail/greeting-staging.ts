import { CallerError } from "../../../src-shared/errors";
import { greetingLimits } from "../../../src-shared/server-api/voicemail";

interface Staged {
  chunks: Buffer[];
  bytes: number;
  touchedAt: number;
}

/** A user records or converts one greeting at a time; a few spare slots cover a window closed mid-upload. */
const maxStaged = 4;
/** A staged greeting nobody finished within this long is forgotten. */
const stagedTtlMs = 10 * 60_000;

/**
 * WAV bytes the renderer sends in pieces (a transport message holds 1 MiB at
 * most), held in memory until the upload: at most a few greetings of 5 MiB.
 */
export class GreetingStaging {
  readonly #staged = new Map<string, Staged>();

  constructor(private readonly now: () => number = Date.now) {}

  append(uploadId: string, seq: number, data: Buffer): void {
    this.#expire();
    const staged = this.#staged.get(uploadId) ?? { chunks: [], bytes: 0, touchedAt: this.now() };
    // A piece sent again (a retried message) is already in.
    if (seq < staged.chunks.length) return;
    if (seq > staged.chunks.length) throw new CallerError("bad_request", `Greeting piece ${seq} arrived before piece ${staged.chunks.length}`, { reason: "greeting_audio_incomplete" });
    if (staged.bytes + data.length > greetingLimits.maxBytes) {
      this.#staged.delete(uploadId);
      throw new CallerError("bad_request", `A greeting file may be ${greetingLimits.maxBytes / 1024 / 1024} MB at most`, { reason: "greeting_too_large", params: { maxMegabytes: greetingLimits.maxBytes / 1024 / 1024 } });
    }
    staged.chunks.push(data);
    staged.bytes += data.length;
    staged.touchedAt = this.now();
    this.#staged.delete(uploadId);
    this.#staged.set(uploadId, staged);
    while (this.#staged.size > maxStaged) this.#staged.delete(this.#staged.keys().next().value!);
  }

  /** The whole file, forgotten here. */
  take(uploadId: string): Buffer {
    this.#expire();
    const staged = this.#staged.get(uploadId);
    this.#staged.delete(uploadId);
    if (staged === undefined) throw new CallerError("bad_request", "No greeting audio was sent for this upload (or it waited too long): record or choose the file again", { reason: "greeting_audio_incomplete" });
    return Buffer.concat(staged.chunks);
  }

  clear(): void {
    this.#staged.clear();
  }

  #expire(): void {
    const now = this.now();
    for (const [id, staged] of this.#staged) if (now - staged.touchedAt > stagedTtlMs) this.#staged.delete(id);
  }
}
