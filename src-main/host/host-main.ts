import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createCore } from "../core/create-core";
import { startHost } from "./host";
import { parseHostArgs } from "./host-args";
import { signInUnlessSignedIn } from "../core/sign-in-arg";
import { hostDesktopShell } from "./host-desktop-shell";
import { linkSocketPath, listenForLinks } from "./link-socket";

/** Entry of the Node host: the desktop core plus the renderer served to a browser. */
async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const args = parseHostArgs(process.argv.slice(2), process.env, join(here, "..", "renderer"));
  const dataDir = resolve(args.dataDir);
  const desktopShell = hostDesktopShell({
    env: process.env,
    platform: process.platform,
    dataDir,
    launcher: join(here, "open-link.mjs"),
    manageLinks: args.registerLinks,
  });
  const core = await createCore({ dataDir, serverUrl: args.serverUrl, shell: "node-host", version: process.env.CALLER_VERSION ?? "dev", desktopShell });

  await signInUnlessSignedIn(core.handlers, args.signIn);
  const host = await startHost({
    core,
    rendererDir: args.rendererDir,
    token: randomBytes(32).toString("base64url"),
    port: args.port,
    connectSources: (process.env.CALLER_CONNECT_SOURCES ?? "").split(" ").filter(Boolean),
  });
  // Links from the launcher (xdg-open → open-link.mjs); the page that is open comes forward by itself.
  const links = await listenForLinks(linkSocketPath(dataDir, process.env), (uri) => {
    core.requestDial(uri, "link");
    if (host.pageCount() === 0 && args.open) openAppWindow(host.url, dataDir);
  });
  if (args.link) core.requestDial(args.link, "link");
  console.log(`CALLER_URL=${host.url}`);
  console.log(`CALLER_LINK_SOCKET=${links.path}`);

  if (args.open) openAppWindow(host.url, dataDir);
  else console.log(`Caller is running. Open ${host.url} in Chromium.`);

  const stop = () => {
    void links
      .close()
      .then(() => host.close())
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
