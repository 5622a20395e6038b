import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Knex } from "knex";
import type { ServiceLog } from "../calls/calls-service";
import type { DatabaseTarget } from "../db/open-database";
import type { AmiClient } from "../pbx/ami-client";
import { parseEnvLines } from "../pbx/pbx-server-config";
import type { RecordingsWiring } from "../routes/recordings-routes";
import { RecordingIngestService } from "./recording-ingest-service";
import { directoryStorage } from "./recording-storage";
import { RecordingsPbx } from "./recordings-pbx";
import { uploadAbandonMs, UploadSweeper } from "./upload-sweep";

/** The value of `--name VALUE` or `--name=VALUE`, if given. */
function flag(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === `--${name}`) return argv[i + 1];
    if (arg?.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

export interface RecordingPaths {
  /** Recording storage: `--recordings-dir`/CALLER_RECORDINGS_DIR, else `recordings/` beside the SQLite file. */
  storageDir: string;
  /** Where MixMonitor writes (PBX_RECORDINGS_DIR from `--pbx-env` or the environment); null: nothing to ingest. */
  sourceDir: string | null;
  /** An unfinished desktop upload untouched this long is swept: `--upload-abandon-days`/CALLER_UPLOAD_ABANDON_DAYS, else 14 days. */
  uploadAbandonMs: number;
}

export function recordingPaths(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, database: DatabaseTarget): RecordingPaths {
  const storageDir = flag(argv, "recordings-dir") ?? env.CALLER_RECORDINGS_DIR ?? (database.kind === "sqlite" ? join(dirname(database.file), "recordings") : ".data/recordings");
  const pbxEnv = flag(argv, "pbx-env");
  const facts = pbxEnv === undefined ? env : parseEnvLines(readFileSync(pbxEnv, "utf8"));
  const sourceDir = facts.PBX_RECORDINGS_DIR;
  const abandonMs = uploadAbandonMs(flag(argv, "upload-abandon-days") ?? env.CALLER_UPLOAD_ABANDON_DAYS);
  return { storageDir, sourceDir: sourceDir === undefined || sourceDir === "" ? null : sourceDir, uploadAbandonMs: abandonMs };
}

export interface Recordings {
  wiring: RecordingsWiring;
  /** Sweeps abandoned desktop uploads now and every hour (with or without a PBX). */
  start(): void;
  /** Starts ingesting on the server's AMI connection (hangups, channel names for pause) and sweeps the PBX's directory. */
  attach(ami: AmiClient): void;
  stop(): Promise<void>;
}

export function setUpRecordings(options: { db: Knex; paths: RecordingPaths; now: () => number; log: ServiceLog }): Recordings {
  const storage = directoryStorage(options.paths.storageDir);
  const { sourceDir } = options.paths;
  const ingest = sourceDir === null ? null : new RecordingIngestService({ db: options.db, storage, sourceDir, now: options.now, log: options.log });
  const pbx = new RecordingsPbx((uniqueid) => ingest?.hungUp(uniqueid));
  // Beside the stored files; a dot name is never a storage key.
  const uploadsDir = join(options.paths.storageDir, ".uploads");
  const sweeper = new UploadSweeper({ db: options.db, uploadsDir, now: options.now, log: options.log, abandonAfterMs: options.paths.uploadAbandonMs });
  let ingesting = false;
  return {
    wiring: { storage, pbx, uploadsDir },
    start: () => sweeper.start(),
    // Once per PBX; the directory sweep starts with the first.
    attach(ami) {
      pbx.attach(ami);
      if (!ingesting) ingest?.start();
      ingesting = true;
    },
    stop: async () => {
      await sweeper.stop();
      await ingest?.stop();
    },
  };
}
