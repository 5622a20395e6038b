import { useEffect, useState } from "react";

/**
 * False for the first paint, true once the browser has drawn a frame and is idle
 * (or after `timeoutMs` at most): work the first paint does not need waits for it.
 */
export function useAfterFirstPaint(timeoutMs = 500): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => afterFirstFrame(() => setPainted(true), timeoutMs), [timeoutMs]);
  return painted;
}

/** Calls `run` when the browser is idle after its next frame; returns a cancel. Without those APIs (jsdom), after a timer. */
export function afterFirstFrame(run: () => void, timeoutMs: number): () => void {
  if (typeof requestAnimationFrame !== "function" || typeof requestIdleCallback !== "function") {
    const timer = setTimeout(run, 0);
    return () => clearTimeout(timer);
  }
  let idle: number | null = null;
  // rAF runs just before the frame is drawn; the idle callback after it.
  const frame = requestAnimationFrame(() => {
    idle = requestIdleCallback(run, { timeout: timeoutMs });
  });
  return () => {
    cancelAnimationFrame(frame);
    if (idle !== null) cancelIdleCallback(idle);
  };
}
