import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { defaultDataDir } from "./host-args";
import { linkSocketPath } from "./link-socket";
import { openLink } from "./open-link";

/** Entry of dist/main/open-link.mjs: `open-link.mjs [--data DIR] <callto:/tel: link>` (the .desktop entry's Exec). */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: { data: { type: "string" } }, allowPositionals: true, strict: true });
  const uri = positionals.at(-1) ?? "";
  const dataDir = values.data ?? defaultDataDir(process.env);
  const here = dirname(fileURLToPath(import.meta.url));
  const outcome = await openLink({
    uri,
    socketPath: linkSocketPath(dataDir, process.env),
    uid: process.getuid?.() ?? -1,
    log: (line) => console.error(`caller open-link: ${line}`),
    start: (link) => {
      // npm start's way, reduced to the app itself: the host with its window, the link waiting for the page.
      const child = spawn(process.execPath, [join(here, "host.mjs"), "--data", dataDir, "--open", "--register-links", "--link", link], {
        stdio: "ignore",
        detached: true,
      });
      child.unref();
    },
  });
  return outcome === "forwarded" || outcome === "started" ? 0 : 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`caller open-link: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
