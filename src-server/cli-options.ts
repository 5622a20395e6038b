import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CallerError } from "../src-shared/errors";
import type { DatabaseTarget } from "./db/open-database";
import { parseEnvLines, parseIceServers, pbxConfigFrom, type PbxServerConfig } from "./pbx/pbx-server-config";
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
              [--smtp host:port | CALLER_SMTP_URL=smtp://...] [--recordings-dir DIR | CALLER_RECORDINGS_DIR]
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

/** `--pbx-env` (pbx.sh's pbx.env) wins over PBX_* in the environment; neither: null. */
function pbxTarget(
  values: { "pbx-env"?: string; "sip-ws-url"?: string; "ice-servers"?: string },
  env: Readonly<Record<string, string | undefined>>,
  readFile: (file: string) => string,
): PbxServerConfig | null {
  let facts: Readonly<Record<string, string | undefined>> = env;
  if (values["pbx-env"] !== undefined) {
    try {
      facts = parseEnvLines(readFile(values["pbx-env"]));
    } catch (error) {
      throw new CallerError("bad_request", `--pbx-env: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const iceJson = values["ice-servers"] ?? env.CALLER_ICE_SERVERS;
  const overrides = {
    ...(values["sip-ws-url"] === undefined ? {} : { sipWsUrl: values["sip-ws-url"] }),
    ...(iceJson === undefined || iceJson === "" ? {} : { iceServers: parseIceServers(iceJson) }),
  };
  return pbxConfigFrom(facts, overrides);
}

export function parseCliOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  readFile: (file: string) => string = (file) => readFileSync(file, "utf8"),
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
        "pbx-env": { type: "string" },
        "sip-ws-url": { type: "string" },
        "ice-servers": { type: "string" },
        // Read where they are used: src-server/mail/smtp-config.ts, src-server/recordings/recordings-setup.ts.
        smtp: { type: "string" },
        "recordings-dir": { type: "string" },
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
  return {
    port: parsePort(values.port),
    host: values.host,
    database: databaseTarget(values.db, env.DATABASE_URL),
    seedDemo: values["seed-demo"],
    pbx: pbxTarget(values, env, readFile),
  };
}
