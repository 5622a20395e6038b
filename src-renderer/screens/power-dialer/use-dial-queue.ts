import type { DialQueue } from "../../../src-shared/api/areas/dialer";
import { useCoreQuery, useEventData } from "../../query/core-query";

/** The call queue as the core keeps it, live; null: none (or not read yet). */
export function useDialQueue(): DialQueue | null {
  useEventData("dialQueueChanged", "getDialQueue", {}, (next) => next);
  // Read again on every mount: a queue built while the phone screen was away (from a list) must show at once.
  return useCoreQuery("getDialQueue", {}, { refetchOnMount: "always" }).data?.queue ?? null;
}

/** The item being called or waiting for its outcome. */
export const liveItem = (queue: DialQueue | null) => queue?.items.find((i) => i.state === "calling" || i.state === "wrap_up") ?? null;
