import { join } from "node:path";
import type { DesktopShell } from "../core/desktop/desktop-shell";
import { windowOnlyShell } from "../core/desktop/desktop-shell";
import { createXdgLinkHandler } from "./xdg-link-handler";

export interface HostShellOptions {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  dataDir: string;
  /** dist/main/open-link.mjs, run by the .desktop entry. */
  launcher: string;
  /** --register-links: this host is the user's link handler (npm start, the launcher); tests and bare runs leave the OS alone. */
  manageLinks: boolean;
}

/**
 * The Node host's hands on the OS: xdg registration on Linux, following the
 * calling method from the start; hotkeys only inside the page (a browser
 * cannot grab keys for the whole desktop).
 */
export function hostDesktopShell(options: HostShellOptions): DesktopShell {
  if (options.platform !== "linux" || !options.manageLinks) return windowOnlyShell;
  const xdg = createXdgLinkHandler({
    env: options.env,
    command: [process.execPath, options.launcher, "--data", options.dataDir],
    stateFile: join(options.dataDir, "replaced-link-handlers.json"),
  });
  return {
    ...windowOnlyShell,
    // The flag is the user's standing choice, so the start applies the calling method like a change does.
    setLinkHandler: (take) => xdg.setLinkHandler(take),
  };
}
