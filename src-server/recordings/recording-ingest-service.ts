import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { drop } from "../../src-shared/assert-never";
import type { ServiceLog } from "../calls/calls-service";
import type { RecordingSource } from "./pbx-recording-files";

/** Asterisk's UNIQUEID: `<epoch>.<sequence>`, after `<systemname>-` when asterisk.conf names the system. */
const uniqueidPattern = /^[A-Za-z0-9_.-]{1,150}$/;
/** `<uniqueid>.wav` (mix), `<uniqueid>-user.wav` (r), `<uniqueid>-other.wav` (t), as the dialplan names them. */
const fileName = /^([A-Za-z0-9_.-]{1,150}?)(-user|-other)?\.wav$/;

/** What became of one call's files: stored (now or before), or not yet (no call known, or not ended): then they stay. */
export type SpoolResult = { status: "ingested" | "exists"; recordingId: number | null; durationMs: number | null } | { status: "no_call" } | { status: "not_ended" };

/** Takes one call's files to where recordings go: the server's own ingest (`ingestFromSpool` in ingest-recording.ts), or the shipper's upload to a server. */
export type SpoolIngest = (source: RecordingSource) => Promise<SpoolResult>;

export interface RecordingIngestOptions {
  ingest: SpoolIngest;
  /** PBX_RECORDINGS_DIR: where MixMonitor writes. */
  sourceDir: string;
  log: ServiceLog;
  /** After a hangup, between tries while the call's CDR has not arrived (MixMonitor closes its files on its own thread). */
  settleMs?: number;
  /** A sweep of the whole directory, for hangups the server did not hear (down, AMI lost). */
  sweepEveryMs?: number;
}

/** After a hangup: this many tries, at most this far apart (`hungUp`). */
const maxTries = 16;
const maxGapMs = 8_000;

/** Groups a directory listing into one source per call. */
export function sourcesIn(dir: string, names: readonly string[]): RecordingSource[] {
  const byCall = new Map<string, RecordingSource>();
  for (const name of names) {
    const match = fileName.exec(name);
    if (match?.[1] === undefined) continue;
    const uniqueid = match[1];
    const source = byCall.get(uniqueid) ?? { uniqueid };
    const path = join(dir, name);
    if (match[2] === "-user") source.user = path;
    else if (match[2] === "-other") source.other = path;
    else source.mix = path;
    byCall.set(uniqueid, source);
  }
  return [...byCall.values()];
}

/**
 * Moves MixMonitor's files into recording storage: for one call after its
 * hangup, and for the whole directory at start and now and then. One at a
 * time; a file is removed from the PBX's directory once its recording is
 * stored and linked (or was already). A file refused as broken stays, logged.
 * Runs in the server (single box) or in the shipper beside each Asterisk.
 */
export class RecordingIngestService {
  readonly #options: RecordingIngestOptions;
  #queue: Promise<void> = Promise.resolve();
  #sweepTimer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: RecordingIngestOptions) {
    this.#options = options;
  }

  start(): void {
    this.sweep();
    const every = this.#options.sweepEveryMs ?? 60_000;
    if (every > 0) this.#sweepTimer = setInterval(() => this.sweep(), every).unref();
  }

  /**
   * A call hung up: ingest its files once they have settled and the call has
   * ended. The call's CDR can come well after the hangup on a busy PBX (an
   * inbound voicemail's CDR waits for its h extension), so the tries back off
   * (settle, settle, 2×, 2×, 4×… at most 8 s apart: about a minute in all)
   * before the sweep's turn.
   */
  hungUp(uniqueid: string, attempt = 0): void {
    if (this.#stopped || attempt >= maxTries || !uniqueidPattern.test(uniqueid)) return;
    const settle = this.#options.settleMs ?? 500;
    const timer = setTimeout(() => {
      this.#enqueue(async () => {
        const result = await this.#ingestCall(uniqueid);
        if (result?.status === "not_ended" || result?.status === "no_call") this.hungUp(uniqueid, attempt + 1);
      });
    }, Math.min(settle * 2 ** Math.floor(attempt / 2), maxGapMs));
    timer.unref();
  }

  sweep(): void {
    this.#enqueue(async () => {
      let names: string[];
      try {
        names = await readdir(this.#options.sourceDir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
        throw error;
      }
      for (const source of sourcesIn(this.#options.sourceDir, names)) {
        if (this.#stopped) return;
        await this.#ingest(source);
      }
    });
  }

  whenIdle(): Promise<void> {
    return this.#queue;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#sweepTimer);
    await this.#queue;
  }

  async #ingestCall(uniqueid: string): Promise<SpoolResult | null> {
    const names = (await readdir(this.#options.sourceDir).catch(() => [] as string[])).filter((name) => name.startsWith(uniqueid));
    const source = sourcesIn(this.#options.sourceDir, names).find((s) => s.uniqueid === uniqueid);
    return source === undefined ? null : this.#ingest(source);
  }

  async #ingest(source: RecordingSource): Promise<SpoolResult | null> {
    const { ingest, log } = this.#options;
    let result: SpoolResult;
    try {
      result = await ingest(source);
    } catch (error) {
      log.error({ uniqueid: source.uniqueid, err: error instanceof Error ? error.message : String(error) }, "recording not ingested");
      return null;
    }
    if (result.status === "no_call" || result.status === "not_ended") return result;
    if (result.status === "ingested") log.info({ uniqueid: source.uniqueid, recordingId: result.recordingId, durationMs: result.durationMs }, "recording stored");
    for (const path of [source.user, source.other, source.mix]) if (path !== undefined) await rm(path, { force: true });
    return result;
  }

  #enqueue(task: () => Promise<unknown>): void {
    if (this.#stopped) return;
    const run = this.#queue.then(task);
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    drop(run, (error) => this.#options.log.error({ err: error instanceof Error ? error.message : String(error) }, "recordings: ingest failed"));
  }
}
