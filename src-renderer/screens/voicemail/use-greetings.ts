import { useCoreQuery, useEventData } from "../../query/core-query";

/**
 * The user's greetings, live: the core pushes the list after every change. Its own module, so the
 * call screen's drop control does not bring the greetings editor (and zod) into the first paint.
 */
export function useGreetings() {
  useEventData("greetingsChanged", "listGreetings", {}, (next) => next);
  return useCoreQuery("listGreetings", {});
}
