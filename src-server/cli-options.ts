import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CallerError } from "../src-shared/errors";
import type { DatabaseTarget } from "./db/open-database";
import { parseEnvLines, parseIceServers, pbxConfigFrom, pbxListConfigFrom, type PbxServerConfig } from "./pbx/pbx-server-config";
import { pbxRecordingsMode, recordingStore } from "./recordings/recordings-setup";
import { realFiles, type FileAccess } from "./recordings/s3-config";
import { uploadAbandonMs } from "./recordings/upload-sweep";

export interface CliOptions {
  port: number;
  host: string;
  database: DatabaseTarget;
  seedDemo: boolean;
  /** null: no PBX facts given, calls disabled. */
  pbx: PbxServerConfig | null;
}

export const usage = `Usage: server [--port 4300] [--host 127.0.0.1] [--db FILE | DATABASE_URL=postgres://...] [--seed-demo]
              [--pbx-env FILE | PBX_* variables] [--sip-ws-url wss://...] [--ice-servers JSON]
              [--pbx-env FILE --pbx-env FILE ... --sip-ws-url URL (several PBXs)] [--pbx-peer ADDRESS ...]
              [--smtp host:port | CALLER_SMTP_URL=smtp://...] [--recordings-dir DIR | CALLER_RECORDINGS_DIR]
              [--recordings-s3 https://host:port/bucket | CALLER_RECORDINGS_S3] [--recordings-s3-region us-east-1 | CALLER_S3_REGION]
              [--recordings-s3-addressing path|virtual | CALLER_S3_ADDRESSING] [--recordings-s3-credentials FILE | CALLER_S3_CREDENTIALS_FILE]
              (S3 keys: CALLER_S3_ACCESS_KEY_ID, CALLER_S3_SECRET_ACCESS_KEY in the environment or that 0600 file)
              [--uploads-dir DIR | CALLER_UPLOADS_DIR] [--pbx-recordings spool|shipper | CALLER_PBX_RECORDINGS]
              [--upload-abandon-days 14 | CALLER_UPLOAD_ABANDON_DAYS]`;
export const defaultDbFile = ".data/server.sqlite";

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new CallerError("bad_request", `--port must be 0-65535, got "${text}"`);
  return port;
}

/** Flags win over the environment: `--db` beats DATABASE_URL. The operator CLI reads its database the same way. */
export function databaseTarget(dbFlag: string | undefined, databaseUrl: string | undefined): DatabaseTarget {
  if (dbFlag !== undefined) return { kind: "sqlite", file: dbFlag };
  if (databaseUrl !== undefined && databaseUrl !== "") {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new CallerError("bad_request", "DATABASE_URL must start with postgres:// or postgresql://");
    return { kind: "postgres", url: databaseUrl };
  }
  return { kind: "sqlite", file: defaultDbFile };
}

const ipv4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/**
 * `--pbx-env` (pbx.sh's pbx.env) wins over PBX_* in the environment; neither: null.
 * Several `--pbx-env` files: one server for several PBXs behind a SIP edge (docs/scale.md).
 */
function pbxTarget(
  values: { "pbx-env"?: string[]; "sip-ws-url"?: string; "ice-servers"?: string; "pbx-peer"?: string[] },
  env: Readonly<Record<string, string | undefined>>,
  readFile: (file: string) => string,
): PbxServerConfig | null {
  const read = (file: string): Record<string, string> => {
    try {
      return parseEnvLines(readFile(file));
    } catch (error) {
      throw new CallerError("bad_request", `--pbx-env: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const files = values["pbx-env"] ?? [];
  const peers = values["pbx-peer"] ?? [];
  const badPeer = peers.find((peer) => !ipv4.test(peer));
  if (badPeer !== undefined) throw new CallerError("bad_request", `--pbx-peer must be an IPv4 address, got "${badPeer}"`);
  const iceJson = values["ice-servers"] ?? env.CALLER_ICE_SERVERS;
  const overrides = {
    ...(values["sip-ws-url"] === undefined ? {} : { sipWsUrl: values["sip-ws-url"] }),
    ...(iceJson === undefined || iceJson === "" ? {} : { iceServers: parseIceServers(iceJson) }),
    ...(peers.length === 0 ? {} : { peers }),
  };
  if (files.length > 1) return pbxListConfigFrom(files.map(read), overrides);
  const [file] = files;
  return pbxConfigFrom(file === undefined ? env : read(file), overrides);
}

export function parseCliOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  readFile: (file: string) => string = (file) => readFileSync(file, "utf8"),
  files: FileAccess = realFiles,
): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: "string", default: "4300" },
        host: { type: "string", default: "127.0.0.1" },
        db: { type: "string" },
        "seed-demo": { type: "boolean", default: false },
        "pbx-env": { type: "string", multiple: true },
        "pbx-peer": { type: "string", multiple: true },
        "sip-ws-url": { type: "string" },
        "ice-servers": { type: "string" },
        // Read where they are used: src-server/mail/smtp-config.ts, src-server/recordings/recordings-setup.ts.
        smtp: { type: "string" },
        "recordings-dir": { type: "string" },
        "recordings-s3": { type: "string" },
        "recordings-s3-region": { type: "string" },
        "recordings-s3-addressing": { type: "string" },
        "recordings-s3-credentials": { type: "string" },
        "uploads-dir": { type: "string" },
        "pbx-recordings": { type: "string" },
        "upload-abandon-days": { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CallerError("bad_request", error instanceof Error ? error.message : String(error));
  }
  // Used by src-server/recordings/recordings-setup.ts; checked here so a bad value prints the usage.
  uploadAbandonMs(values["upload-abandon-days"] ?? env.CALLER_UPLOAD_ABANDON_DAYS);
  const database = databaseTarget(values.db, env.DATABASE_URL);
  const recordingFlag = (name: string): string | undefined => {
    const value: unknown = (values as Record<string, unknown>)[name];
    return typeof value === "string" ? value : undefined;
  };
  recordingStore(recordingFlag, env, database, files);
  pbxRecordingsMode(recordingFlag, env);
  return {
    port: parsePort(values.port),
    host: values.host,
    database,
    seedDemo: values["seed-demo"],
    pbx: pbxTarget(values, env, readFile),
  };
}
