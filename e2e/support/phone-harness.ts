import { createServer, type Server } from "node:http";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { PhoneHarnessApi } from "./phone-harness-page";

const here = dirname(fileURLToPath(import.meta.url));
// Bundled into dist/bench the module no longer sits beside the page source.
const pageSource = (file: string) => (existsSync(join(here, file)) ? join(here, file) : join(process.cwd(), "e2e/support", file));

type Api = { phone: PhoneHarnessApi };

/** The renderer's Phone in a page of its own, served on loopback, for tests below the UI. */
export async function startPhoneHarness(browser: Browser): Promise<{ page: Page; context: BrowserContext; stop(): Promise<void> }> {
  const result = await build({ entryPoints: [pageSource("phone-harness-page.ts")], bundle: true, format: "iife", platform: "browser", target: "chrome120", write: false, logLevel: "warning" });
  const script = result.outputFiles[0]?.text ?? "";
  const server: Server = createServer((req, res) => {
    if (req.url === "/phone.js") res.writeHead(200, { "content-type": "text/javascript" }).end(script);
    else res.writeHead(200, { "content-type": "text/html" }).end('<!doctype html><title>phone</title><script src="/phone.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  return {
    page,
    context,
    stop: async () => {
      await page.evaluate(() => (window as unknown as Api).phone.stop()).catch(() => undefined);
      await context.close().catch(() => undefined);
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

export function phoneApi<T>(page: Page, fn: (api: PhoneHarnessApi, arg: unknown) => T | Promise<T>, arg?: unknown): Promise<T> {
  return page.evaluate(({ source, value }) => {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the test's own function, serialized into its page
    const run = new Function("api", "arg", `return (${source})(api, arg);`) as (api: PhoneHarnessApi, arg: unknown) => T;
    return run((window as unknown as Api).phone, value);
  }, { source: fn.toString(), value: arg });
}
