import { useEffect, useState } from "react";
import type * as numberTools from "./number-tools";

export type NumberTools = typeof numberTools;

let loading: Promise<NumberTools> | null = null;
let loaded: NumberTools | null = null;

/** Starts (once) loading the dialer's number rules. */
export function loadNumberTools(): Promise<NumberTools> {
  loading ??= import("./number-tools").then((tools) => (loaded = tools));
  return loading;
}

/**
 * The dialer's number rules, or null while they load: the number field draws
 * without them (an empty field has nothing to check), and a number typed in
 * that moment is checked as soon as they arrive.
 */
export function useNumberTools(): { tools: NumberTools | null; failed: unknown } {
  const [tools, setTools] = useState<NumberTools | null>(loaded);
  const [failed, setFailed] = useState<unknown>(null);
  useEffect(() => {
    if (tools) return;
    loadNumberTools().then(setTools, (e: unknown) => {
      // A retry on the next mount: a chunk that failed to load once may load later.
      loading = null;
      setFailed(e);
    });
  }, [tools]);
  return { tools, failed };
}
