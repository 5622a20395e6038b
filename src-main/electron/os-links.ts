import path from "node:path";
import { createXdgLinkHandler } from "../host/xdg-link-handler";
import { appIdentity } from "./app-identity";
import { electronLinkRegistrar, type LinkRegistrar, type ProtocolApp, type ProtocolTarget, windowsLinkRegistrar, xdgLinkRegistrar } from "./link-registrar";
import { regExeRead, windowsLinkChoice, type RegistryRead } from "./windows-link-choice";

export interface LaunchFacts {
  /** Started as `electron <app folder>` (process.defaultApp). */
  defaultApp: boolean;
  execPath: string;
  /** The app folder given to Electron in development. */
  appEntry: string | null;
}

/**
 * What a Linux .desktop entry runs to hand us a link: the AppImage itself (it
 * runs from a temporary mount, so not execPath), Electron plus the app folder
 * in development, or the installed executable.
 */
export function linuxLinkCommand(launch: LaunchFacts, env: NodeJS.ProcessEnv): string[] {
  if (env.APPIMAGE) return [env.APPIMAGE];
  if (launch.defaultApp && launch.appEntry) return [launch.execPath, launch.appEntry];
  return [launch.execPath];
}

export interface LinkRegistrarOptions {
  platform: NodeJS.Platform;
  app: ProtocolApp;
  target: ProtocolTarget;
  launch: LaunchFacts;
  env: NodeJS.ProcessEnv;
  userData: string;
  readRegistry?: RegistryRead;
}

/**
 * Linux: Electron cannot let go there (RemoveAsDefaultProtocolClient returns
 * false, shell/browser/browser_linux.cc:199-204) and takes links only for an
 * installed .desktop entry named like CHROME_DESKTOP (browser_linux.cc:44-63, 171-177),
 * which AppImage and development runs have not: the Node host's xdg-utils
 * registration does both, under the app's desktop name, and uses the deb's
 * entry where one is installed.
 */
export function linkRegistrarFor(options: LinkRegistrarOptions): LinkRegistrar {
  if (options.platform === "linux") {
    return xdgLinkRegistrar(
      createXdgLinkHandler({
        env: options.env,
        command: linuxLinkCommand(options.launch, options.env),
        stateFile: path.join(options.userData, "replaced-link-handlers.json"),
        entryId: appIdentity.desktopName,
        preferInstalledEntry: true,
      }),
    );
  }
  if (options.platform === "win32") return windowsLinkRegistrar(options.app, options.target, windowsLinkChoice(options.readRegistry ?? regExeRead));
  return electronLinkRegistrar(options.app, options.target);
}
