import type { CallerBridge, Envelope } from "../../src-shared/api/contract";
import { eventNames, methodNames, type EventName } from "../../src-shared/api/names";
import type { ServerMessage } from "../../src-shared/api/ws-protocol";
import { markStart } from "../start/start-marks";

const protocol = "caller-v1";
type Pending = (envelope: Envelope<unknown>) => void;

/**
 * The browser transport for `window.caller`: the same named functions as the
 * Electron preload, carried over the Node host's WebSocket. Reconnects by
 * itself; calls made while disconnected wait for the connection (bounded).
 */
export function createWsBridge(url: string): CallerBridge {
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;
  let retryMs = 250;

  const connect = (): Promise<WebSocket> => {
    opened ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, protocol);
      ws.onopen = () => {
        markStart("core-connected");
        socket = ws;
        retryMs = 250;
        resolve(ws);
      };
      ws.onmessage = (message) => receive(String(message.data));
      ws.onclose = () => {
        socket = null;
        opened = null;
        for (const [id, settle] of pending) {
          pending.delete(id);
          settle({ ok: false, error: { code: "internal", message: "The connection to the app's core was lost." } });
        }
        reject(new Error("closed"));
        // A failed reconnect closes again and lands here, which schedules the next try; each waiting call already got its error.
        setTimeout(() => void connect().catch((e: unknown) => console.warn("[bridge] reconnect failed, retrying", e)), retryMs);
        retryMs = Math.min(retryMs * 2, 5000);
      };
    });
    return opened;
  };

  const receive = (text: string) => {
    const message = JSON.parse(text) as ServerMessage;
    if (message.t === "result") {
      pending.get(message.id)?.(message.envelope);
      pending.delete(message.id);
    } else {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
    }
  };

  const invoke = async (method: string, request: unknown): Promise<Envelope<unknown>> => {
    let ws: WebSocket;
    try {
      ws = socket ?? (await connect());
    } catch {
      return { ok: false, error: { code: "internal", message: "The app's core is not reachable." } };
    }
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      ws.send(JSON.stringify({ t: "call", id, method, request }));
    });
  };

  const bridge: Record<string, unknown> = {
    on(event: EventName, listener: (payload: unknown) => void) {
      if (!eventNames.includes(event)) throw new Error(`Unknown event ${event}`);
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  for (const method of methodNames) bridge[method] = (request: unknown) => invoke(method, request);
  // The first connect's failure reaches the caller of the first method (the app shows it); onclose retries.
  void connect().catch((e: unknown) => console.warn("[bridge] connect failed, retrying", e));
  return bridge as CallerBridge;
}
