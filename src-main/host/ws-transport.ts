import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { eventNames } from "../../src-shared/api/contract";
import { dispatch } from "../../src-shared/api/dispatch";
import type { Core } from "../core/create-core";
import { hostMessage, type ServerMessage } from "../../src-shared/api/ws-protocol";

export const wsPath = "/api";
export const wsProtocol = "caller-v1";

/**
 * The browser half of the renderer ⇄ core API: the same `dispatch` as Electron's
 * IPC, over a WebSocket that only our own page can open: its session cookie
 * (`authorized`), and as a further check the exact Origin and Host.
 */
export function createWsTransport(core: Core, authorized: (request: IncomingMessage) => boolean, allowedOrigins: () => string[]) {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1 << 20,
    handleProtocols: (protocols) => (protocols.has(wsProtocol) ? wsProtocol : false),
  });

  wss.on("connection", (socket) => {
    const unsubscribe = eventNames.map((event) => core.events.on(event, (payload) => send(socket, { t: "event", event, payload })));
    socket.on("close", () => unsubscribe.forEach((off) => off()));
    socket.on("message", (data, isBinary) => {
      const message = isBinary ? null : hostMessage(rawText(data));
      if (!message) {
        socket.close(1003, "malformed message");
        return;
      }
      void dispatch(core.handlers, message.method, message.request).then((envelope) => send(socket, { t: "result", id: message.id, envelope }));
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
