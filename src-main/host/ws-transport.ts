import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { ServerMessage } from "../../src-shared/api/ws-protocol";
import { earlyMethods, type EarlyAnswers, type EarlyMethod } from "./early-answers";
import type { PageEndpoint } from "./page-endpoint";

export const wsPath = "/api";
export const wsProtocol = "caller-v1";

/**
 * The browser half of the renderer ⇄ core API: the same `dispatch` as Electron's
 * IPC, over a WebSocket that only our own page can open: its session cookie
 * (`authorized`), and as a further check the exact Origin and Host.
 *
 * The core may still be starting when the page connects (the host serves the
 * page first): frames wait for it rather than fail, except the page's first
 * calls when `early` can answer them from the store (see early-answers.ts).
 */
export function createWsTransport(endpoint: Promise<PageEndpoint>, authorized: (request: IncomingMessage) => boolean, allowedOrigins: () => string[], early?: EarlyStart) {
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
    let coreUp = false;
    const answeredEarly = new Set<EarlyMethod>();
    // Subscribed before any frame is answered (both wait on the same promise, this one first),
    // so the page hears every event after its first answer. A page answered early from the
    // store then hears the core's own state first, in case it moved on since.
    const ready = started.then(async (core) => {
      coreUp = true;
      if (!core) socket.close(1011, "the core could not start");
      else if (socket.readyState === socket.OPEN) {
        unsubscribe = core.subscribe((message) => send(socket, message));
        if (answeredEarly.size > 0) for (const message of await core.catchUp()) send(socket, message);
      }
      return core;
    });
    socket.on("message", (data, isBinary) => {
      const text = isBinary ? null : rawText(data);
      if (early && !coreUp) {
        const answers = early.answers();
        const answer = text === null || answers === null ? null : earlyAnswer(text, answers);
        if (answer) {
          answeredEarly.add(answer.method);
          send(socket, answer.message);
          if (answeredEarly.size === earlyMethods.length) early.wantCore();
          return;
        }
        early.wantCore();
      }
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

/** Answers for the page's first calls from before the core is up, and the host's cue to load the core now. */
export interface EarlyStart {
  /** Null when there is nothing to answer from (nobody signed in, or not read yet). */
  answers(): EarlyAnswers | null;
  /** The page has its first answers, or asked for more than they hold: its next calls need the core. */
  wantCore(): void;
  /** A page is loading (a file was served): it will soon ask for its first answers. */
  pageLoading(): void;
}

/** The answer to a frame from `answers`, or null for anything else (the core answers it, or closes the socket for a malformed one). */
function earlyAnswer(text: string, answers: EarlyAnswers): { method: EarlyMethod; message: ServerMessage } | null {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof frame !== "object" || frame === null) return null;
  const { t, id, method, request } = frame as Record<string, unknown>;
  const empty = typeof request === "object" && request !== null && !Array.isArray(request) && Object.keys(request).length === 0;
  if (t !== "call" || typeof id !== "number" || !Number.isInteger(id) || id < 0 || !empty || !isEarlyMethod(method)) return null;
  return { method, message: { t: "result", id, envelope: { ok: true, value: answers[method] } } };
}

const isEarlyMethod = (method: unknown): method is EarlyMethod => (earlyMethods as readonly unknown[]).includes(method);

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
