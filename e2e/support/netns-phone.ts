import { mkdtempSync, rmSync } from "node:fs";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { chromiumFlags } from "./chromium";
import type { AppNetwork } from "./netns";

const here = dirname(fileURLToPath(import.meta.url));
const pageSource = (file: string) => (existsSync(join(here, file)) ? join(here, file) : join(process.cwd(), "e2e/support", file));
// Served by Playwright's router, never over the network: a loopback origin keeps it a secure context (getUserMedia).
const pageOrigin = "http://127.0.0.1:9";

/**
 * The renderer's Phone (phone-harness-page.ts) in a Chromium of its own that
 * runs inside the app's namespace. Playwright drives it over a pipe, so no
 * DevTools port has to cross the namespace.
 */
export async function startPhoneInNetns(network: AppNetwork): Promise<{ page: Page; context: BrowserContext; stop(): Promise<void> }> {
  const result = await build({ entryPoints: [pageSource("phone-harness-page.ts")], bundle: true, format: "iife", platform: "browser", target: "chrome120", write: false, logLevel: "warning" });
  const script = result.outputFiles[0]?.text ?? "";
  const profile = mkdtempSync(join(tmpdir(), "caller-netns-chromium-"));
  const stopProfile = () => rmSync(profile, { recursive: true, force: true });
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: network.chromiumWrapper,
      headless: true,
      args: chromiumFlags.filter((flag) => !flag.startsWith("--headless")),
      timeout: 30_000,
    });
  } catch (error) {
    stopProfile();
    throw error;
  }
  const stop = async () => {
    const bounded = new Promise((resolve) => setTimeout(resolve, 5000).unref());
    await Promise.race([context.close().catch(() => undefined), bounded]);
    stopProfile();
  };
  try {
    // Keeps the page's peer connections reachable, so the test can read which path the call uses.
    await context.addInitScript(() => {
      const Native = window.RTCPeerConnection;
      const seen: RTCPeerConnection[] = [];
      (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections = seen;
      window.RTCPeerConnection = class extends Native {
        constructor(configuration?: RTCConfiguration) {
          super(configuration);
          seen.push(this);
        }
      };
    });
    await context.route(`${pageOrigin}/**`, (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === "/phone.js") return route.fulfill({ status: 200, contentType: "text/javascript", body: script });
      return route.fulfill({ status: 200, contentType: "text/html", body: '<!doctype html><title>phone</title><script src="/phone.js"></script>' });
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${pageOrigin}/`);
    return { page, context, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface CallPath {
  iceConnectionState: string;
  /** The app's address on the selected candidate pair (null while none is selected). */
  localAddress: string | null;
  packetsReceived: number;
}

/** Where the call's media runs right now, read from the call's peer connection's stats. */
export function callPath(page: Page): Promise<CallPath> {
  return page.evaluate(async () => {
    // The softphone pre-warms the next call's connection: the call's own is the last one with an answer.
    const pc = (window as unknown as { peerConnections: RTCPeerConnection[] }).peerConnections.filter((p) => p.remoteDescription !== null && p.signalingState !== "closed").at(-1);
    if (!pc) return { iceConnectionState: "none", localAddress: null, packetsReceived: 0 };
    const stats = [...(await pc.getStats()).values()] as Array<Record<string, unknown>>;
    const transport = stats.find((s) => s.type === "transport");
    const pair = stats.find((s) => s.id === transport?.selectedCandidatePairId);
    const local = stats.find((s) => s.id === pair?.localCandidateId);
    const inbound = stats.find((s) => s.type === "inbound-rtp" && s.kind === "audio");
    return {
      iceConnectionState: pc.iceConnectionState,
      localAddress: typeof local?.address === "string" ? local.address : null,
      packetsReceived: Number(inbound?.packetsReceived ?? 0),
    };
  });
}
