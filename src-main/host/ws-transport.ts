import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { ServerMessage } from "../../src-shared/api/ws-protocol";
import type { PageEndpoint } from "./page-endpoint";

export const wsPath = "/api";
export const wsProtocol = "caller-v1";

/**
 * The browser half of the renderer ⇄ core API: the same `dispatch` as Electron's
 * IPC, over a WebSocket that only our own page can open: its session cookie
 * (`authorized`), and as a further check the exact Origin and Host.
 *
 * The core may still be starting when the page connects (the host serves the
 * page first): frames wait for it rather than fail.
 */
export function createWsTransport(endpoint: Promise<PageEndpoint>, authorized: (request: IncomingMessage) => boolean, allowedOrigins: () => string[]) {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1 << 20,
    handleProtocols: (protocols) => (protocols.has(wsProtocol) ? wsProtocol : false),
  });

  // A failed start is the host's to report (it exits); here it only closes the page's socket.
  const started = endpoint.then(
    (core) => core,
    () => null,
  );

  wss.on("connection", (socket) => {
    let unsubscribe: () => void = () => undefined;
    socket.on("close", () => unsubscribe());
    // Subscribed before any frame is answered (both wait on the same promise, this one first),
    // so the page hears every event after its first answer.
    const ready = started.then((core) => {
      if (!core) socket.close(1011, "the core could not start");
      else if (socket.readyState === socket.OPEN) unsubscribe = core.subscribe((message) => send(socket, message));
      return core;
    });
    socket.on("message", (data, isBinary) => {
      const text = isBinary ? null : rawText(data);
      void ready.then(async (core) => {
        if (!core) return;
        const answer = text === null ? null : core.answer(text);
        if (!answer) socket.close(1003, "malformed message");
        else send(socket, await answer);
      });
    });
  });

  return {
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
      const refusal = refuse(request, allowedOrigins(), authorized);
      if (refusal) {
        socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
    },
    /** Pages connected now: none means a link has no window to go to. */
    pageCount(): number {
      return wss.clients.size;
    },
    close(): void {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

export function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.from(new Uint8Array(data)).toString("utf8");
}

function send(socket: WebSocket, message: ServerMessage): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

/**
 * Why an upgrade request is refused, or null to accept it. The cookie decides:
 * any local program can send any Origin, so Origin only keeps other sites' pages out.
 */
export function refuse(request: IncomingMessage, allowedOrigins: string[], authorized: (request: IncomingMessage) => boolean): string | null {
  const url = new URL(request.url ?? "/", "http://host.invalid");
  if (url.pathname !== wsPath) return "404 Not Found";
  if (!allowedOrigins.includes(request.headers.origin ?? "")) return "403 Forbidden";
  if (!authorized(request)) return "401 Unauthorized";
  return null;
}
