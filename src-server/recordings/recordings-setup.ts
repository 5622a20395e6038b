import { dirname, join } from "node:path";
import type { Knex } from "knex";
import type { ServiceLog } from "../calls/calls-service";
import type { DatabaseTarget } from "../db/open-database";
import type { AmiClient } from "../pbx/ami-client";
import { parseEnvLines } from "../pbx/pbx-server-config";
import type { RecordingsWiring } from "../routes/recordings-routes";
import { drop } from "../../src-shared/assert-never";
import { CallerError } from "../../src-shared/errors";
import { ingestFromSpool } from "./ingest-recording";
import { RecordingIngestService } from "./recording-ingest-service";
import { directoryStorage, type RecordingStorage } from "./recording-storage";
import { realFiles, s3ConfigFrom, type FileAccess } from "./s3-config";
import { describeS3, s3Storage, type S3Storage, type S3StorageConfig } from "./s3-storage";
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

type Env = Readonly<Record<string, string | undefined>>;

/** Where recordings live: a directory (the single-box default) or an S3 bucket (several servers). */
export type RecordingStore = { kind: "directory"; dir: string } | { kind: "s3"; config: S3StorageConfig };

/**
 * How MixMonitor's files reach storage: `spool`, the server reads the PBX's spool directory (one
 * box, one disk); `shipper`, a shipper beside each Asterisk sends them over HTTP and the server
 * never looks for a spool (scale mode: no disk is shared).
 */
export type PbxRecordingsMode = "spool" | "shipper";

/** Looks a setting up by its flag name (`recordings-s3`…), as the command line gave it. */
export type FlagLookup = (name: string) => string | undefined;

/**
 * `--recordings-dir DIR` / CALLER_RECORDINGS_DIR, or `--recordings-s3 https://host:port/bucket` /
 * CALLER_RECORDINGS_S3 (keys from the environment or a 0600 file, see s3-config.ts); neither: the
 * `recordings/` directory beside the SQLite file. Both: an error.
 */
export function recordingStore(get: FlagLookup, env: Env, database: DatabaseTarget, files: FileAccess = realFiles): RecordingStore {
  const dir = get("recordings-dir") ?? env.CALLER_RECORDINGS_DIR;
  const s3 = get("recordings-s3") ?? env.CALLER_RECORDINGS_S3;
  if (s3 !== undefined && s3 !== "") {
    if (dir !== undefined && dir !== "") throw new CallerError("bad_request", "Give --recordings-dir or --recordings-s3, not both");
    const config = s3ConfigFrom(
      { url: s3, region: get("recordings-s3-region"), addressing: get("recordings-s3-addressing"), credentialsFile: get("recordings-s3-credentials") ?? env.CALLER_S3_CREDENTIALS_FILE },
      env,
      files,
    );
    return { kind: "s3", config };
  }
  return { kind: "directory", dir: dir ?? join(localDataDir(database), "recordings") };
}

/** `--pbx-recordings spool|shipper` / CALLER_PBX_RECORDINGS; spool unless told. */
export function pbxRecordingsMode(get: FlagLookup, env: Env): PbxRecordingsMode {
  const mode = get("pbx-recordings") ?? env.CALLER_PBX_RECORDINGS ?? "spool";
  if (mode !== "spool" && mode !== "shipper") throw new CallerError("bad_request", `--pbx-recordings must be spool or shipper, got "${mode}"`);
  return mode;
}

const localDataDir = (database: DatabaseTarget): string => (database.kind === "sqlite" ? dirname(database.file) : ".data");

export interface RecordingPaths {
  store: RecordingStore;
  /** Desktop uploads in progress (always a local directory): `--uploads-dir`/CALLER_UPLOADS_DIR, else `.uploads` in the recordings directory, or `recording-uploads/` beside the SQLite file with S3. */
  uploadsDir: string;
  pbxRecordings: PbxRecordingsMode;
  /** Where MixMonitor writes (PBX_RECORDINGS_DIR from `--pbx-env` or the environment), in spool mode; null: the server reads no spool. */
  sourceDir: string | null;
  /** An unfinished desktop upload untouched this long is swept: `--upload-abandon-days`/CALLER_UPLOAD_ABANDON_DAYS, else 14 days. */
  uploadAbandonMs: number;
}

export function recordingPaths(argv: readonly string[], env: Env, database: DatabaseTarget, files: FileAccess = realFiles): RecordingPaths {
  const get: FlagLookup = (name) => flag(argv, name);
  const store = recordingStore(get, env, database, files);
  const uploadsDir = get("uploads-dir") ?? env.CALLER_UPLOADS_DIR ?? (store.kind === "directory" ? join(store.dir, ".uploads") : join(localDataDir(database), "recording-uploads"));
  const pbxRecordings = pbxRecordingsMode(get, env);
  let sourceDir: string | null = null;
  if (pbxRecordings === "spool") {
    const pbxEnv = get("pbx-env");
    const facts = pbxEnv === undefined ? env : parseEnvLines(files.readFile(pbxEnv));
    const dir = facts.PBX_RECORDINGS_DIR;
    sourceDir = dir === undefined || dir === "" ? null : dir;
  }
  const abandonMs = uploadAbandonMs(get("upload-abandon-days") ?? env.CALLER_UPLOAD_ABANDON_DAYS);
  return { store, uploadsDir, pbxRecordings, sourceDir, uploadAbandonMs: abandonMs };
}

/** One line for the start-up log: where recordings are kept and how the PBX's reach them; never a key. */
export function describeRecordings(paths: RecordingPaths): string {
  const where = paths.store.kind === "directory" ? `directory ${paths.store.dir}` : `S3 ${describeS3(paths.store.config)}`;
  const pbx = paths.pbxRecordings === "shipper" ? "PBX recordings from shippers (PUT /pbx/recordings)" : paths.sourceDir === null ? "no PBX spool" : `PBX spool ${paths.sourceDir}`;
  return `recordings: ${where}; ${pbx}`;
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
  const { store, sourceDir, uploadsDir } = options.paths;
  const s3: S3Storage | null = store.kind === "s3" ? s3Storage(store.config) : null;
  const storage: RecordingStorage = s3 ?? directoryStorage(store.kind === "directory" ? store.dir : ".");
  const ingest = sourceDir === null ? null : new RecordingIngestService({ ingest: ingestFromSpool(options.db, storage, options.now), sourceDir, log: options.log });
  const pbx = new RecordingsPbx((uniqueid) => ingest?.hungUp(uniqueid));
  const sweeper = new UploadSweeper({ db: options.db, uploadsDir, now: options.now, log: options.log, abandonAfterMs: options.paths.uploadAbandonMs });
  let ingesting = false;
  return {
    wiring: { storage, pbx, uploadsDir },
    start: () => {
      sweeper.start();
      // A wrong key or a missing bucket is said at start, not at the first recording; the server runs on (S3 may come back).
      if (s3 !== null) drop(s3.probe(), (error) => options.log.error({ err: error instanceof Error ? error.message : String(error) }, "recordings: S3 storage is not usable"));
    },
    // Once per PBX; the directory sweep starts with the first.
    attach(ami) {
      pbx.attach(ami);
      if (!ingesting) ingest?.start();
      ingesting = true;
    },
    stop: async () => {
      await sweeper.stop();
      await ingest?.stop();
      s3?.close();
    },
  };
}
