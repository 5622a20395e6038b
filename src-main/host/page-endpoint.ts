import { eventNames, type Envelope } from "../../src-shared/api/contract";
import { dispatch } from "../../src-shared/api/dispatch";
import { hostMessage, type ServerMessage } from "../../src-shared/api/ws-protocol";
import type { Core } from "../core/create-core";

/**
 * The core as a page's WebSocket sees it: text frames in, messages out. Built
 * with the core, so the contract's schemas load with it, after the page is served.
 */
export interface PageEndpoint {
  /** Every core event, as the page's messages; returns the unsubscribe. */
  subscribe(send: (message: ServerMessage) => void): () => void;
  /** The answer to one frame, or null for a frame that is not a call (the socket is closed). */
  answer(text: string): Promise<ServerMessage> | null;
  /** The session and sync state as events: for a page whose first calls were answered before the core was up. */
  catchUp(): Promise<ServerMessage[]>;
}

export function pageEndpoint(core: Core): PageEndpoint {
  return {
    subscribe(send) {
      const off = eventNames.map((event) => core.events.on(event, (payload) => send({ t: "event", event, payload })));
      return () => off.forEach((unsubscribe) => unsubscribe());
    },
    answer(text) {
      const message = hostMessage(text);
      if (!message) return null;
      return dispatch(core.handlers, message.method, message.request).then((envelope: Envelope<unknown>) => ({ t: "result", id: message.id, envelope }));
    },
    async catchUp() {
      const [session, sync] = await Promise.all([core.handlers.getSession({}), core.handlers.getSyncState({})]);
      return [
        { t: "event", event: "sessionChanged", payload: session },
        { t: "event", event: "syncChanged", payload: sync },
      ];
    },
  };
}
