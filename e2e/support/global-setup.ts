import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";
import { startChromium } from "./chromium";

declare module "vitest" {
  export interface ProvidedContext {
    cdpEndpoint: string;
  }
}

/** Once per e2e run: the built app, and one Chromium every test file attaches to. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync("dist/main/host.mjs") || !existsSync("dist/server/server.mjs") || !existsSync("dist/renderer/index.html")) {
    execFileSync("node", ["scripts/build.mjs", "renderer", "host", "server"], { stdio: "inherit" });
  }
  const chromium = await startChromium();
  project.provide("cdpEndpoint", chromium.wsEndpoint);
  return async () => {
    await chromium.stop();
  };
}
