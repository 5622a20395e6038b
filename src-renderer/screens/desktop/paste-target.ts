import type { ClipboardEvent } from "react";

/**
 * Whether a paste into the number field replaces its whole value (a new number) rather than
 * editing the number being typed. Kept apart from the number rules, so the dialer's first paint can ask.
 */
export function pasteReplacesAll(event: ClipboardEvent<HTMLInputElement>, current: string): boolean {
  const input = event.currentTarget;
  return current === "" || (input.selectionStart === 0 && input.selectionEnd === current.length);
}
