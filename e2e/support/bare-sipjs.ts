import { createServer, type Server } from "node:http";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { BareSipApi, BareTiming } from "./bare-sipjs-page";

export type { BareTiming };

const here = dirname(fileURLToPath(import.meta.url));
// Bundled into dist/bench the module no longer sits beside the page source.
const pageSource = (file: string) => (existsSync(join(here, file)) ? join(here, file) : join(process.cwd(), "e2e/support", file));

/** A page with nothing but SIP.js making calls: the baseline the app's call setup is compared with. */
export class BareSipPage {
  private constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
    private readonly server: Server,
  ) {}

  static async start(browser: Browser, options: { wsUrl: string; aor: string; username: string; password: string; toneHz?: readonly number[] }): Promise<BareSipPage> {
    const result = await build({ entryPoints: [pageSource("bare-sipjs-page.ts")], bundle: true, format: "iife", platform: "browser", target: "chrome120", write: false, logLevel: "warning" });
    const script = result.outputFiles[0]?.text ?? "";
    const server = createServer((req, res) => {
      if (req.url === "/bare.js") res.writeHead(200, { "content-type": "text/javascript" }).end(script);
      else res.writeHead(200, { "content-type": "text/html" }).end('<!doctype html><title>bare SIP.js</title><script src="/bare.js"></script>');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const context = await browser.newContext();
    const page = await context.newPage();
    const bare = new BareSipPage(context, page, server);
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.evaluate((o) => (window as unknown as { bareSip: BareSipApi }).bareSip.register(o), options);
    return bare;
  }

  call(number: string, extraHeaders: string[] = []): Promise<BareTiming> {
    return this.page.evaluate(([n, h]) => (window as unknown as { bareSip: BareSipApi }).bareSip.call(n, h), [number, extraHeaders] as const);
  }

  reinvite(): Promise<number> {
    return this.page.evaluate(() => (window as unknown as { bareSip: BareSipApi }).bareSip.reinvite());
  }

  established(): Promise<boolean> {
    return this.page.evaluate(() => (window as unknown as { bareSip: BareSipApi }).bareSip.established());
  }

  sendDtmf(tones: string): Promise<boolean> {
    return this.page.evaluate((t) => (window as unknown as { bareSip: BareSipApi }).bareSip.sendDtmf(t), tones);
  }

  hangUp(): Promise<void> {
    return this.page.evaluate(() => (window as unknown as { bareSip: BareSipApi }).bareSip.hangUp());
  }

  async stop(): Promise<void> {
    await this.page.evaluate(() => (window as unknown as { bareSip: BareSipApi }).bareSip.stop()).catch(() => undefined);
    await this.context.close().catch(() => undefined);
    await new Promise<void>((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
