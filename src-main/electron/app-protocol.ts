import { protocol } from "electron";
import { appScheme } from "./app-url";
import { serveAppFile } from "./serve-app-file";

/**
 * Before `ready`: app:// is standard (a real origin, relative URLs), secure
 * (getUserMedia needs a secure context) and fetchable. Not `corsEnabled`, so
 * other origins cannot read it; not `bypassCSP`.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** After `ready`: app://caller/… serves dist/renderer and nothing else. */
export function serveAppProtocol(rootDir: string, currentCsp: () => string): void {
  protocol.handle(appScheme, (request) => serveAppFile(request, { rootDir, csp: currentCsp() }));
}
