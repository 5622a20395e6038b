import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Core } from "../core/create-core";
import { buildCsp } from "../../src-shared/csp";
import { readStatic } from "./static-files";
import { createWsTransport } from "./ws-transport";

export interface HostOptions {
  core: Core;
  rendererDir: string;
  token: string;
  port?: number;
  /** Origins the page may connect to besides itself (company server, PBX WebSocket). */
  connectSources?: string[];
}

export interface RunningHost {
  /** The page's address, with the per-launch token in the fragment (never sent to a server). */
  url: string;
  origin: string;
  /** Pages connected to the core now. */
  pageCount(): number;
  close(): Promise<void>;
}

/**
 * Serves the built renderer on loopback and carries the renderer ⇄ core API
 * over a WebSocket, so the whole app runs in a browser where Electron cannot.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  let origin = "";
  const hostNames = () => {
    const port = origin.split(":").at(-1);
    return [`127.0.0.1:${port}`, `localhost:${port}`];
  };
  const transport = createWsTransport(options.core, options.token, () => [origin, origin.replace("127.0.0.1", "localhost")]);

  const server = createServer((request, response) => {
    void serve(request, response, options, origin, hostNames());
  });
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
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/#token=${options.token}`,
    origin,
    pageCount: () => transport.pageCount(),
    close: async () => {
      transport.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serve(request: IncomingMessage, response: ServerResponse, options: HostOptions, origin: string, hosts: string[]): Promise<void> {
  // A page on another name pointing at 127.0.0.1 (DNS rebinding) gets nothing.
  if (!hosts.includes(request.headers.host ?? "")) return end(response, 421, "Misdirected Request");
  if (request.method !== "GET" && request.method !== "HEAD") return end(response, 405, "Method Not Allowed");
  const file = await readStatic(options.rendererDir, request.url ?? "/");
  if (!file) return end(response, 404, "Not Found");
  response.writeHead(200, {
    "content-type": file.type,
    "cache-control": file.type.startsWith("text/html") ? "no-store" : "public, max-age=31536000, immutable",
    "content-security-policy": buildCsp({ connectSources: [origin.replace(/^http/, "ws"), ...(options.connectSources ?? [])] }),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), geolocation=(), microphone=(self)",
  });
  response.end(request.method === "HEAD" ? undefined : file.body);
}

function end(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  response.end(text);
}
