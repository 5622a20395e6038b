import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";
import { startChromium } from "./chromium";
import { ensureScaleTopology, type ScaleFacts } from "./scale-topology";

declare module "vitest" {
  export interface ProvidedContext {
    scale: ScaleFacts;
  }
}

/**
 * The `scale` project (e2e/scale/): one Chromium and the topology of scripts/scale.sh, brought
 * up if it is not running and left running after (another run reuses it; `npm run scale -- down` ends it).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync("dist/server/server.mjs")) execFileSync("node", ["scripts/build.mjs", "server"], { stdio: "inherit" });
  const [chromium, scale] = await Promise.all([startChromium(), ensureScaleTopology()]);
  project.provide("cdpEndpoint", chromium.wsEndpoint);
  project.provide("scale", scale);
  // The company-side fixture (e2e/support/company-side.ts) reads the topology under this name.
  project.provide("topology", scale);
  return async () => {
    await chromium.stop();
  };
}
