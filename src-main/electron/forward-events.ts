import { eventNames } from "../../src-shared/api/contract";
import type { Core } from "../core/create-core";
import { eventChannel } from "./channels";

/** Pushes every core event to the renderers on `caller:event:<name>`; returns the unsubscribe. */
export function forwardEvents(events: Core["events"], send: (channel: string, payload: unknown) => void): () => void {
  const unsubscribes = eventNames.map((name) => events.on(name, (payload) => send(eventChannel(name), payload)));
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
