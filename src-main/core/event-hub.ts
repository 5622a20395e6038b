import type { EventName, EventOf } from "../../src-shared/api/contract";

type Listener = (payload: unknown) => void;

/** The core's events for the renderer; each transport subscribes and forwards. */
export interface EventHub {
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
  emit<E extends EventName>(event: E, payload: EventOf<E>): void;
}

export function createEventHub(): EventHub {
  const listeners = new Map<EventName, Set<Listener>>();
  return {
    on(event, listener) {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) {
        try {
          listener(payload);
        } catch (error) {
          console.error(`[core] listener for ${event} failed`, error);
        }
      }
    },
  };
}
