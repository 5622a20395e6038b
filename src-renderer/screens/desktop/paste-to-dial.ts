import type { ClipboardEvent } from "react";
import { cleanPastedNumber } from "../../../src-shared/desktop/clean-pasted-number";
import { pasteReplacesAll } from "./paste-target";

/**
 * The dialer field's paste: text holding a number ("Tel. 03-1234-5678 (office)")
 * becomes its E.164; text with no number pastes as usual, so the dialer says why.
 */
export function pasteToDial(event: ClipboardEvent<HTMLInputElement>, country: string, current: string, onNumber: (number: string) => void): void {
  const text = event.clipboardData.getData("text");
  // Pasting into the middle of a number being typed is an edit, not a new number.
  if (!pasteReplacesAll(event, current)) return;
  const cleaned = cleanPastedNumber(text, country);
  if (!cleaned.ok) return;
  event.preventDefault();
  onNumber(cleaned.e164);
}
