import { createCore, type Core } from "../core/create-core";
import type { DesktopShell } from "../core/desktop/desktop-shell";
import { signInUnlessSignedIn } from "../core/sign-in-arg";
import { plainTokenProtector } from "../core/token-protector";
import { pageEndpoint, type PageEndpoint } from "./page-endpoint";

export interface HostCoreOptions {
  dataDir: string;
  serverUrl: string | null;
  desktopShell: DesktopShell;
  signIn: { email: string; password: string } | null;
}

/**
 * The Node host's core: the store, the sync and everything else a page's calls
 * need, and the API contract's schemas. Loaded on its own (a dynamic import)
 * because its modules, knex first, are most of the host's start-up; the page
 * is served meanwhile.
 */
export async function startHostCore(options: HostCoreOptions): Promise<{ core: Core; endpoint: PageEndpoint }> {
  const core = await createCore({
    dataDir: options.dataDir,
    serverUrl: options.serverUrl,
    shell: "node-host",
    version: process.env.CALLER_VERSION ?? "dev",
    desktopShell: options.desktopShell,
    tokenProtector: plainTokenProtector,
  });
  try {
    // Signed in before the page's first call is answered: the page never sees the signed-out screen first.
    await signInUnlessSignedIn(core.handlers, options.signIn);
  } catch (error) {
    await core.close();
    throw error;
  }
  return { core, endpoint: pageEndpoint(core) };
}
