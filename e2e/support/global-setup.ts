import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";
import { startChromium } from "./chromium";
import { startSharedPbx } from "./shared-pbx";
import { ensureScaleTopology, topologyKind, type ScaleFacts } from "./scale-topology";

declare module "vitest" {
  export interface ProvidedContext {
    cdpEndpoint: string;
    /** CALLER_TOPOLOGY=scale: the running topology of scripts/scale.sh; null on the single box. */
    topology: ScaleFacts | null;
  }
}

/** Once per e2e run: the built app, one Chromium and one Asterisk every test file shares. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync("dist/main/host.mjs") || !existsSync("dist/server/server.mjs") || !existsSync("dist/renderer/index.html")) {
    execFileSync("node", ["scripts/build.mjs", "renderer", "host", "server"], { stdio: "inherit" });
  }
  const [chromium, pbx, topology] = await Promise.all([startChromium(), startSharedPbx(), topologyKind() === "scale" ? ensureScaleTopology() : null]);
  project.provide("cdpEndpoint", chromium.wsEndpoint);
  project.provide("topology", topology);
  project.provide("pbx", pbx.shared);
  return async () => {
    await Promise.allSettled([chromium.stop(), pbx.instance.stop({ purge: true })]);
  };
}
