import { createServer, type Server } from "node:http";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { FarEndAction, FarEndApi, FarEndCall, FarEndMedia } from "./far-end-page";

export type { FarEndAction, FarEndCall, FarEndMedia };

const here = dirname(fileURLToPath(import.meta.url));
// Bundled into dist/bench the module no longer sits beside the page source.
const pageSource = (file: string) => (existsSync(join(here, file)) ? join(here, file) : join(process.cwd(), "e2e/support", file));
let bundle: Promise<string> | null = null;

/** JsSIP and the page script bundled once per process (well under a second). */
function farEndBundle(): Promise<string> {
  bundle ??= build({ entryPoints: [pageSource("far-end-page.ts")], bundle: true, format: "iife", platform: "browser", target: "chrome120", write: false, logLevel: "warning" }).then(
    (result) => result.outputFiles[0]?.text ?? "",
  );
  return bundle;
}

/** Serves the far end's page on loopback: getUserMedia needs an http origin, not about:blank. */
async function servePage(): Promise<{ url: string; server: Server }> {
  const script = await farEndBundle();
  const server = createServer((req, res) => {
    if (req.url === "/far-end.js") {
      res.writeHead(200, { "content-type": "text/javascript" }).end(script);
      return;
    }
    res.writeHead(200, { "content-type": "text/html" }).end('<!doctype html><title>far end</title><script src="/far-end.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, server };
}

export interface FarEndOptions {
  wsUrl: string;
  /** sip:far-end@… as the PBX knows the trunk endpoint. */
  uri: string;
  password: string;
}

/**
 * The test's far end: a JsSIP user agent in its own Chromium page, registered
 * as the WebRTC endpoint the PBX dials as its trunk. Independent of the app's
 * SIP.js code path; every method drives or reads that page.
 */
export class FarEnd {
  private constructor(
    private readonly context: BrowserContext,
    readonly page: Page,
    private readonly server: Server,
  ) {}

  /** Several options: one page registered with each PBX (the scale topology's Asterisks), its calls counted together. */
  static async start(browser: Browser, options: FarEndOptions | readonly FarEndOptions[]): Promise<FarEnd> {
    const { url, server } = await servePage();
    const context = await browser.newContext();
    const page = await context.newPage();
    const farEnd = new FarEnd(context, page, server);
    try {
      await page.goto(url);
      const each: readonly FarEndOptions[] = "wsUrl" in options ? [options] : options;
      for (const one of each) await page.evaluate((o) => (window as unknown as { farEnd: FarEndApi }).farEnd.register(o), one);
      return farEnd;
    } catch (error) {
      await farEnd.stop();
      throw error;
    }
  }

  /** What the next incoming call gets; `dtmfReceive: "info"` hides telephone-event so the PBX relays keys as SIP INFO the page can see. */
  async setAction(action: FarEndAction, dtmfReceive: "info" | "rfc4733" = "info"): Promise<void> {
    await this.page.evaluate(([a, d]) => (window as unknown as { farEnd: FarEndApi }).farEnd.setAction(a, d), [action, dtmfReceive] as const);
  }

  calls(): Promise<FarEndCall[]> {
    return this.page.evaluate(() => (window as unknown as { farEnd: FarEndApi }).farEnd.calls());
  }

  async lastCall(): Promise<FarEndCall | null> {
    return (await this.calls()).at(-1) ?? null;
  }

  media(): Promise<FarEndMedia> {
    return this.page.evaluate(() => (window as unknown as { farEnd: FarEndApi }).farEnd.media());
  }

  sendDtmf(tones: string, transport: "rfc4733" | "info" = "rfc4733"): Promise<void> {
    return this.page.evaluate(([t, m]) => (window as unknown as { farEnd: FarEndApi }).farEnd.sendDtmf(t, m), [tones, transport] as const);
  }

  /** Places a call into the PBX's trunk context: the company's number `number`, from `callerId`. */
  async call(number: string, callerId: string): Promise<void> {
    await this.page.evaluate(([n, c]) => (window as unknown as { farEnd: FarEndApi }).farEnd.call(n, c), [number, callerId] as const);
  }

  hangUp(): Promise<void> {
    return this.page.evaluate(() => (window as unknown as { farEnd: FarEndApi }).farEnd.hangUp());
  }

  async stop(): Promise<void> {
    const bounded = new Promise((resolve) => setTimeout(resolve, 3000).unref());
    await Promise.race([this.page.evaluate(() => (window as unknown as { farEnd?: FarEndApi }).farEnd?.stop()).catch(() => undefined), bounded]);
    await this.context.close().catch(() => undefined);
    await new Promise<void>((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
