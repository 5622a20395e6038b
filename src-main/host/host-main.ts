import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { startHostCore } from "./start-core";
import { ensurePrivateDir } from "../core/store/private-files";
import { drop } from "../../src-shared/assert-never";
import { openAppWindow, sweepLaunchPages, windowLaunchTtlMs } from "./app-window";
import { readEarlyAnswers, type EarlyAnswers } from "./early-answers";
import { startHost } from "./host";
import { parseHostArgs } from "./host-args";
import { hostDesktopShell } from "./host-desktop-shell";
import { linkSocketPath, listenForLinks } from "./link-socket";

/** How long the launch URL printed for a human (no display) stays good: time to copy it into a browser. */
const printedLaunchTtlMs = 5 * 60_000;
/** How long the core waits for a page to ask for its early answers, from the start or the page's last file. */
const earlyCoreDelayMs = 1500;
/** What the user's own programs (the e2e harness) get over the link socket. */
const socketLaunchTtlMs = 60_000;

/** Entry of the Node host: the desktop core plus the renderer served to a browser. */
async function main(): Promise<void> {
  // Everything this process creates (store, recordings, sockets, launch pages) is the user's alone,
  // including in the moment between creating a file and setting its mode.
  process.umask(0o077);
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
  await ensurePrivateDir(dataDir);
  await sweepLaunchPages(dataDir);
  // The page is served while the core starts; its calls wait for the core (see ws-transport.ts).
  let coreStarted: (core: ReturnType<typeof startHostCore>) => void = () => undefined;
  const started = new Promise<Awaited<ReturnType<typeof startHostCore>>>((resolve) => (coreStarted = resolve));
  const core = started.then(({ core }) => core);
  // Started once this process holds the data dir's link socket: a second host for it stops before touching the store.
  let linksHeld = false;
  let coreWanted = false;
  let coreLoading = false;
  // Read once the link socket is ours, like everything else in the store.
  let early: EarlyAnswers | null = null;
  let notComing: NodeJS.Timeout | null = null;
  const loadCore = () => {
    if (!linksHeld || coreLoading) return;
    coreLoading = true;
    coreStarted(import("./start-core").then((module) => module.startHostCore({ dataDir, serverUrl: args.serverUrl, desktopShell, signIn: args.signIn })));
  };
  const host = await startHost({
    endpoint: started.then(({ endpoint }) => endpoint),
    // Loading the core keeps this thread busy for about a second: after the page has its first
    // answers (so it draws the dialer meanwhile), on the next turn so they are sent first.
    early: {
      answers: () => early,
      wantCore: () => {
        coreWanted = true;
        setImmediate(loadCore);
      },
      pageLoading: () => notComing?.refresh(),
    },
    rendererDir: args.rendererDir,
    port: args.port,
    connectSources: (process.env.CALLER_CONNECT_SOURCES ?? "").split(" ").filter(Boolean),
  });
  // Each window gets its own one-time code: the first window's was spent when it loaded.
  const openWindow = () => {
    if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
      console.log(`No display: open ${host.launchUrl(printedLaunchTtlMs)} in Chromium (once, within 5 minutes).`);
      return;
    }
    const browser = process.env.CALLER_BROWSER ?? "/usr/bin/chromium";
    void openAppWindow({ browser, dataDir, launchUrl: host.launchUrl(windowLaunchTtlMs), log: (line) => console.log(line) }).catch((error: unknown) =>
      console.log(`Could not open a window: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  // Links from the launcher (xdg-open → open-link.mjs); the page that is open comes forward by itself.
  const links = await listenForLinks(
    linkSocketPath(dataDir, process.env),
    (uri) => {
      drop(core.then((ready) => ready.requestDial(uri, "link")));
      if (host.pageCount() === 0 && args.open) openWindow();
    },
    () => {
      // A launch URL asked for is a page on its way: the core keeps waiting for it.
      notComing?.refresh();
      return host.launchUrl(socketLaunchTtlMs);
    },
  );
  const link = args.link;
  if (link) drop(core.then((ready) => ready.requestDial(link, "link")));
  // The address carries no secret: a window gets in through a launch URL (below, or over the link socket).
  console.log(`CALLER_URL=${host.origin}/`);
  console.log(`CALLER_LINK_SOCKET=${links.path}`);

  linksHeld = true;
  early = readEarlyAnswers(join(dataDir, "caller.sqlite"));
  // With nothing to answer early (nobody signed in yet) the page needs the core at once; otherwise
  // it waits for the page while one is loading, but not for long: links and a page that never comes need it too.
  if (early && !coreWanted) notComing = setTimeout(loadCore, earlyCoreDelayMs);
  else loadCore();
  drop(started, (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });

  if (args.open) openWindow();
  else console.log(`Caller is running. Open ${host.launchUrl(printedLaunchTtlMs)} in Chromium (once, within 5 minutes).`);

  const stop = () => {
    void links
      .close()
      .then(() => host.close())
      .then(() => core)
      .then((ready) => ready.close())
      .finally(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
