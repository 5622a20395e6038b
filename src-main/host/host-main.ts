import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createCore } from "../core/create-core";
import { startHost } from "./host";
import { parseHostArgs } from "./host-args";
import { signInUnlessSignedIn } from "../core/sign-in-arg";

/** Entry of the Node host: the desktop core plus the renderer served to a browser. */
async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const args = parseHostArgs(process.argv.slice(2), process.env, join(here, "..", "renderer"));
  const core = await createCore({ dataDir: args.dataDir, serverUrl: args.serverUrl, shell: "node-host", version: process.env.CALLER_VERSION ?? "dev" });

  await signInUnlessSignedIn(core.handlers, args.signIn);
  const host = await startHost({
    core,
    rendererDir: args.rendererDir,
    token: randomBytes(32).toString("base64url"),
    port: args.port,
    connectSources: (process.env.CALLER_CONNECT_SOURCES ?? "").split(" ").filter(Boolean),
  });
  console.log(`CALLER_URL=${host.url}`);

  if (args.open) openAppWindow(host.url, args.dataDir);
  else console.log(`Caller is running. Open ${host.url} in Chromium.`);

  const stop = () => {
    void host
      .close()
      .then(() => core.close())
      .finally(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** Opens the app in a Chromium app window when a display exists; otherwise the URL printed above is the way in. */
function openAppWindow(url: string, dataDir: string): void {
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.log(`No display: open ${url} in Chromium.`);
    return;
  }
  const browser = process.env.CALLER_BROWSER ?? "/usr/bin/chromium";
  const child = spawn(browser, [`--app=${url}`, `--user-data-dir=${join(dataDir, "chromium")}`, "--no-first-run", "--disable-background-networking"], {
    stdio: "ignore",
    detached: true,
  });
  child.on("error", (error) => console.log(`Could not start ${browser} (${error.message}): open ${url} yourself.`));
  child.unref();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
