import { execFile, execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { chown, mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import knex from "knex";

const run = promisify(execFile);
const debianBinRoot = "/usr/lib/postgresql";

/** A throwaway PostgreSQL cluster on 127.0.0.1, one database per `createDatabase()`. */
export interface PostgresCluster {
  /** A new empty database; returns its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

async function findBinDir(binRoot: string): Promise<string> {
  const preferred = join(binRoot, "15", "bin");
  if (existsSync(join(preferred, "initdb"))) return preferred;
  const versions = existsSync(binRoot) ? (await readdir(binRoot)).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => join(binRoot, v, "bin")).find((dir) => existsSync(join(dir, "initdb")));
  if (found === undefined) {
    throw new Error(`PostgreSQL server binaries not found under ${binRoot}/*/bin: install Debian's "postgresql" package (these tests fail rather than skip).`);
  }
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** initdb refuses root: as root, the cluster belongs to the `postgres` user. */
function asOwner(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

async function runAsOwner(command: string, args: string[]): Promise<void> {
  await run(...asOwner(command, args), { timeout: 30_000 });
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  try {
    const uid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
    const gid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
    return { uid, gid };
  } catch {
    throw new Error('Running as root needs the "postgres" user to own the test cluster, and it does not exist: install Debian\'s "postgresql" package.');
  }
}

export async function startPostgres(options: { binRoot?: string } = {}): Promise<PostgresCluster> {
  const bin = await findBinDir(options.binRoot ?? debianBinRoot);
  const dir = await mkdtemp(join(tmpdir(), "caller-pg-"));
  if (process.getuid?.() === 0) {
    const { uid, gid } = await postgresIds();
    await chown(dir, uid, gid);
  }
  const data = join(dir, "data");
  const log = join(dir, "server.log");
  const stopArgs = ["-D", data, "-m", "immediate", "-w", "stop"];
  // If the test process dies without afterAll, the postmaster must not outlive it.
  const stopOnExit = (): void => {
    try {
      execFileSync(...asOwner(join(bin, "pg_ctl"), stopArgs), { stdio: "ignore", timeout: 10_000 });
    } catch {
      // Not running: nothing to stop.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stopOnExit);

  const port = await freePort();
  try {
    await runAsOwner(join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
    // Durability off: a test cluster lives for seconds and is thrown away.
    const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await runAsOwner(join(bin, "pg_ctl"), ["-D", data, "-l", log, "-w", "-t", "20", "-o", serverOptions, "start"]);
  } catch (error) {
    const serverLog = existsSync(log) ? readFileSync(log, "utf8").slice(-2000) : "(no server log)";
    process.off("exit", stopOnExit);
    stopOnExit();
    throw new Error(`PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}\n${serverLog}`);
  }

  const url = (database: string): string => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const admin = knex({ client: "pg", connection: url("postgres"), pool: { min: 0, max: 1 } });
  let next = 0;
  return {
    async createDatabase() {
      next += 1;
      const name = `caller_test_${next}`;
      await admin.raw(`create database ${name}`);
      return url(name);
    },
    async stop() {
      process.off("exit", stopOnExit);
      try {
        await admin.destroy();
        await runAsOwner(join(bin, "pg_ctl"), stopArgs);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
