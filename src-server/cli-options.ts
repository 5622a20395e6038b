import { parseArgs } from "node:util";
import { CallerError } from "../src-shared/errors";
import type { DatabaseTarget } from "./db/open-database";

export interface CliOptions {
  port: number;
  host: string;
  database: DatabaseTarget;
  seedDemo: boolean;
}

export const usage = `Usage: server [--port 4300] [--host 127.0.0.1] [--db FILE | DATABASE_URL=postgres://...] [--seed-demo]`;
export const defaultDbFile = ".data/server.sqlite";

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new CallerError("bad_request", `--port must be 0-65535, got "${text}"`);
  return port;
}

/** Flags win over the environment: `--db` beats DATABASE_URL. */
function databaseTarget(dbFlag: string | undefined, databaseUrl: string | undefined): DatabaseTarget {
  if (dbFlag !== undefined) return { kind: "sqlite", file: dbFlag };
  if (databaseUrl !== undefined && databaseUrl !== "") {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new CallerError("bad_request", "DATABASE_URL must start with postgres:// or postgresql://");
    return { kind: "postgres", url: databaseUrl };
  }
  return { kind: "sqlite", file: defaultDbFile };
}

export function parseCliOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: "string", default: "4300" },
        host: { type: "string", default: "127.0.0.1" },
        db: { type: "string" },
        "seed-demo": { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CallerError("bad_request", error instanceof Error ? error.message : String(error));
  }
  return {
    port: parsePort(values.port),
    host: values.host,
    database: databaseTarget(values.db, env.DATABASE_URL),
    seedDemo: values["seed-demo"],
  };
}
