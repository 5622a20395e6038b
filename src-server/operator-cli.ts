import { userInfo } from "node:os";
import { CallerError } from "../src-shared/errors";
import { migrateToLatest } from "./db/migrate";
import { openDatabase } from "./db/open-database";
import { importWorker } from "./imports/import-parser";
import { importWorkerScript } from "./imports/import-worker-script";
import { cliUsage, parseCliArgs, UsageError, type CliInvocation } from "./operator/cli/cli-args";
import { runCliCommand } from "./operator/cli/cli-commands";
import { readNewPassword } from "./operator/cli/read-secret";

/**
 * The operator's command line, run on the server host against the server's
 * database (`--db` or DATABASE_URL, as the server takes them). Running
 * servers pick its changes up from the operator's log within seconds.
 * Exit codes: 0 done, 1 refused (the reason on stderr), 2 wrong usage.
 */
async function main(): Promise<number> {
  let invocation: CliInvocation;
  try {
    invocation = parseCliArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof UsageError || error instanceof CallerError) {
      console.error(`${error.message}\n\n${cliUsage}`);
      return 2;
    }
    throw error;
  }
  const db = await openDatabase(invocation.database);
  const imports = importWorker(await importWorkerScript());
  try {
    await migrateToLatest(db);
    const output = await runCliCommand(invocation.command, { db, imports, actor: `cli:${userInfo().username}`, now: Date.now, readPassword: readNewPassword });
    console.log(invocation.json ? JSON.stringify(output.json, null, 2) : output.text);
    return 0;
  } catch (error) {
    if (!(error instanceof CallerError)) throw error;
    console.error(error.message);
    return 1;
  } finally {
    await imports.close();
    await db.destroy();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
