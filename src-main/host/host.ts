import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { buildCsp } from "../../src-shared/csp";
import { createLaunchCodes } from "./launch-codes";
import { launchRefusedPage } from "./launch-refused-page";
import type { PageEndpoint } from "./page-endpoint";
import { hasSessionCookie, sessionCookieHeader } from "./session-cookie";
import { readStatic } from "./static-files";
import { createWsTransport, type EarlyStart } from "./ws-transport";

export interface HostOptions {
  /** The core's side of the page's WebSocket, or its start: the page is served at once and its calls wait for it. */
  endpoint: PageEndpoint | Promise<PageEndpoint>;
  /** The page's first calls answered from the store while the core starts, when it can (early-answers.ts). */
  early?: EarlyStart | undefined;
  rendererDir: string;
  port?: number;
  /** Origins the page may connect to besides itself (company server, PBX WebSocket). */
  connectSources?: string[];
  now?: () => number;
}

export interface RunningHost {
  origin: string;
  /**
   * A URL that opens the app once: its one-time code, good for `ttlMs`, is
   * traded on first load for the window's session cookie. Mint one per window.
   */
  launchUrl(ttlMs: number): string;
  /** Pages connected to the core now. */
  pageCount(): number;
  close(): Promise<void>;
}

export const launchPath = "/launch";

/**
 * Serves the built renderer on loopback and carries the renderer ⇄ core API
 * over a WebSocket, so the whole app runs in a browser where Electron cannot.
 * Nothing another local user can read (a command line, a URL) lets them in:
 * the WebSocket needs the session cookie only a launch code buys, once.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  let origin = "";
  let port = 0;
  const hostNames = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const sessionSecret = randomBytes(32).toString("base64url");
  const codes = createLaunchCodes(options.now);
  const transport = createWsTransport(
    Promise.resolve(options.endpoint),
    (request) => hasSessionCookie(request.headers.cookie, port, sessionSecret),
    () => [origin, origin.replace("127.0.0.1", "localhost")],
    options.early,
  );

  const server = createServer((request, response) => {
    // A page on another name pointing at 127.0.0.1 (DNS rebinding) gets nothing.
    if (!hostNames().includes(request.headers.host ?? "")) return end(response, 421, "Misdirected Request");
    if (new URL(request.url ?? "/", "http://host.invalid").pathname === launchPath) return launch(request, response);
    options.early?.pageLoading();
    void serve(request, response, options, origin);
  });
  const launch = (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== "GET") return end(response, 405, "Method Not Allowed");
    const code = new URL(request.url ?? "/", "http://host.invalid").searchParams.get("code") ?? "";
    if (!codes.redeem(code)) {
      response.writeHead(403, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...pageHeaders(origin, options) });
      response.end(launchRefusedPage);
      return;
    }
    response.writeHead(303, { location: "/", "set-cookie": sessionCookieHeader(port, sessionSecret), "cache-control": "no-store", "referrer-policy": "no-referrer" });
    response.end();
  };
  server.on("upgrade", (request, socket, head) => {
    if (!hostNames().includes(request.headers.host ?? "")) {
      socket.end("HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\n\r\n");
      return;
    }
    transport.handleUpgrade(request, socket, head);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    launchUrl: (ttlMs) => `${origin}${launchPath}?code=${codes.mint(ttlMs)}`,
    pageCount: () => transport.pageCount(),
    close: async () => {
      transport.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function pageHeaders(origin: string, options: HostOptions): Record<string, string> {
  return {
    "content-security-policy": buildCsp({ connectSources: [origin.replace(/^http/, "ws"), ...(options.connectSources ?? [])] }),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), geolocation=(), microphone=(self)",
  };
}

async function serve(request: IncomingMessage, response: ServerResponse, options: HostOptions, origin: string): Promise<void> {
  if (request.method !== "GET" && request.method !== "HEAD") return end(response, 405, "Method Not Allowed");
  const file = await readStatic(options.rendererDir, request.url ?? "/");
  if (!file) return end(response, 404, "Not Found");
  response.writeHead(200, {
    "content-type": file.type,
    "cache-control": file.type.startsWith("text/html") ? "no-store" : "public, max-age=31536000, immutable",
    ...pageHeaders(origin, options),
  });
  response.end(request.method === "HEAD" ? undefined : file.body);
}

function end(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  response.end(text);
}
