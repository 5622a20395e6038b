import { foldNumberText } from "../phone/normalize";
import type { DialUriProblem } from "./problems";
import type { DialScheme } from "./uri-parts";

/** Longest number part we read; digits are capped at 15 later (E.164). */
export const maxNumberTextLength = 64;

/** `foldNumberText` (full-width digits and "＋", dashes), plus NBSP and every other Unicode space as " ". */
export function foldUriText(text: string): string {
  return foldNumberText(text).replace(/\p{Zs}/gu, " ");
}

/**
 * Screens the decoded, folded number part for what must never reach the
 * dialer; null when it may go on to normalization.
 */
export function screenNumberText(text: string, scheme: DialScheme): DialUriProblem | null {
  if (text === "") return "empty";
  if (text.length > maxNumberTextLength) return "too_long";
  // Skype names ("callto:echo123", "callto:live:.cid.1") start with a letter.
  if (scheme === "callto" && /^\p{L}/u.test(text)) return "skype_name";
  if (/[*#]/.test(text)) return "star_code";
  if (/[,;]/.test(text)) return "dtmf_characters";
  if (!/\p{L}/u.test(text)) return null;
  return isPauseDialString(text) ? "dtmf_characters" : "letters";
}

/** "+12015550123p1234", "0312345678w9": digits first, then pauses (p) or waits (w) and more digits. */
function isPauseDialString(text: string): boolean {
  return /^[+]?[0-9 ().-]+[pw][0-9pw ().-]*$/i.test(text);
}
