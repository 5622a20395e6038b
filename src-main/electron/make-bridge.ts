import type { CallerBridge, Envelope, MethodName } from "../../src-shared/api/contract";
import { CallerError, isErrorCode, toErrorBody } from "../../src-shared/errors";
import { isEventName, methodNames } from "../../src-shared/api/names";
import { eventChannel, methodChannel } from "./channels";

/** What the preload hands over: `ipcRenderer` stays behind these two functions. */
export interface BridgeTransport {
  invoke(channel: string, request: unknown): Promise<unknown>;
  /** Calls `listener` with the payload only and returns the unsubscribe. */
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

/** Builds `window.caller`: one named function per API method, plus `on` for the known events. */
export function makeBridge(transport: BridgeTransport): CallerBridge {
  const bridge: Record<string, unknown> = {};
  for (const method of methodNames) {
    bridge[method] = (request: unknown) => invokeForEnvelope(transport, method, request);
  }
  bridge.on = (event: unknown, listener: unknown): (() => void) => {
    if (!isEventName(event)) throw new CallerError("bad_request", `Unknown event ${JSON.stringify(event)}`);
    if (typeof listener !== "function") throw new CallerError("bad_request", `on(${event}): listener must be a function`);
    return transport.subscribe(eventChannel(event), (payload) => {
      (listener as (payload: unknown) => void)(payload);
    });
  };
  return Object.freeze(bridge) as CallerBridge;
}

// The renderer always gets an envelope: a failed or odd IPC reply becomes an error envelope, never a throw.
async function invokeForEnvelope(transport: BridgeTransport, method: MethodName, request: unknown): Promise<Envelope<unknown>> {
  try {
    const reply = await transport.invoke(methodChannel(method), request);
    if (isEnvelope(reply)) return reply;
    return { ok: false, error: { code: "internal", message: `${method}: malformed reply from the core` } };
  } catch (error) {
    return { ok: false, error: toErrorBody(error) };
  }
}

function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (typeof value !== "object" || value === null) return false;
  const reply = value as { ok?: unknown; value?: unknown; error?: unknown };
  if (reply.ok === true) return "value" in reply;
  if (reply.ok !== false || typeof reply.error !== "object" || reply.error === null) return false;
  const error = reply.error as { code?: unknown; message?: unknown };
  return isErrorCode(error.code) && typeof error.message === "string";
}
