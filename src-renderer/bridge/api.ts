import type { CallerBridge, RequestOf, ResponseOf } from "../../src-shared/api/contract";
import { methodNames, type MethodName } from "../../src-shared/api/names";
import { errorFromBody } from "../../src-shared/errors";
import { createWsBridge } from "./ws-bridge";

/** The API the UI uses: the bridge's envelopes unwrapped, failures thrown as CallerError. */
export type CallerApi = { [M in MethodName]: (request: RequestOf<M>) => Promise<ResponseOf<M>> } & Pick<CallerBridge, "on">;

declare global {
  interface Window {
    caller?: CallerBridge;
  }
}

export function toApi(bridge: CallerBridge): CallerApi {
  const api: Record<string, unknown> = { on: bridge.on.bind(bridge) };
  for (const method of methodNames) {
    const call = bridge[method] as (request: unknown) => ReturnType<CallerBridge[typeof method]>;
    api[method] = async (request: unknown) => {
      const envelope = await call(request);
      if (envelope.ok) return envelope.value;
      throw errorFromBody(envelope.error, "internal", `${method} failed`);
    };
  }
  return api as CallerApi;
}

/**
 * Electron's preload puts the bridge on `window.caller`; in a browser the Node
 * host's WebSocket, which the browser opens with the window's session cookie
 * (HttpOnly: this page never holds the secret).
 */
export function connectApi(): CallerApi {
  if (window.caller) return toApi(window.caller);
  const wsUrl = `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}/api`;
  return toApi(createWsBridge(wsUrl));
}
