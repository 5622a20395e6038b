import { useSyncExternalStore } from "react";

// Where the page has no matchMedia (jsdom in tests), no query matches.
const list = (query: string): MediaQueryList | null => (typeof window.matchMedia === "function" ? window.matchMedia(query) : null);

/** Whether a CSS media query matches now, kept current. */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (notify) => {
      const media = list(query);
      media?.addEventListener("change", notify);
      return () => media?.removeEventListener("change", notify);
    },
    () => list(query)?.matches ?? false,
  );
}
