import { useEffect, useRef, type ClipboardEvent } from "react";
import { pasteReplacesAll } from "./desktop/paste-target";
import type { NumberTools } from "./use-number-tools";

/**
 * The number field's paste and change handlers. A paste is cleaned into E.164 by the number
 * rules; one that lands before they have loaded (the first moments after start) goes in as the
 * browser pastes it, and is cleaned as soon as they arrive, unless the field was edited since.
 */
export function useLatePaste(tools: NumberTools | null, number: string, country: string, onNumberChange: (number: string) => void) {
  // The text pasted early, and the field's value that paste produced (null until its change arrives).
  const pending = useRef<{ text: string; value: string | null } | null>(null);

  useEffect(() => {
    const paste = pending.current;
    if (!tools || !paste) return;
    pending.current = null;
    if (paste.value !== number) return;
    const cleaned = tools.cleanPastedNumber(paste.text, country);
    if (cleaned.ok && cleaned.e164 !== number) onNumberChange(cleaned.e164);
  }, [tools, number, country, onNumberChange]);

  return {
    onPaste: (event: ClipboardEvent<HTMLInputElement>) => {
      if (tools) tools.pasteToDial(event, country, number, onNumberChange);
      else pending.current = pasteReplacesAll(event, number) ? { text: event.clipboardData.getData("text"), value: null } : null;
    },
    onChange: (value: string) => {
      const paste = pending.current;
      // The change the early paste made is remembered; any later edit means the user took over.
      if (paste) pending.current = paste.value === null ? { ...paste, value } : null;
      onNumberChange(value);
    },
  };
}
