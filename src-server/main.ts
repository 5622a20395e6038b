import type { AddressInfo } from "node:net";
import { buildServer } from "./build-server";
import { parseCliOptions, usage, type CliOptions } from "./cli-options";
import { countCompanies } from "./db/companies-repo";
import { migrateToLatest } from "./db/migrate";
import { openDatabase } from "./db/open-database";
import { seedDemo } from "./seed/demo";

const forcedExitAfterMs = 10_000;

function readOptions(): CliOptions {
  try {
    return parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const options = readOptions();
  const db = await openDatabase(options.database);
  await migrateToLatest(db);
  if (options.seedDemo && (await countCompanies(db)) === 0) await seedDemo(db);

  // Logs go to stderr so stdout carries only the lines a launcher reads.
  const app = buildServer({ db, logger: { level: "info", stream: process.stderr } });
  await app.listen({ port: options.port, host: options.host });
  const { port } = app.server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  console.log(`listening on http://${host}:${port}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1);
    stopping = true;
    app.log.info({ signal }, "shutting down");
    setTimeout(() => process.exit(1), forcedExitAfterMs).unref();
    app
      .close()
      .then(() => db.destroy())
      .then(() => console.log("stopped"))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
