import { parseDialUri } from "../dial-uri/parse-dial-uri";
import { checkDialable, type DialCheck } from "../phone/dial-check";
import { foldNumberText } from "../phone/normalize";

// A run of digits with the separators people write between them; it starts with + or a digit and ends with a digit.
const numberRun = /\+?[0-9][0-9 ().-]*[0-9]/g;
const maxPasteLength = 512;

/**
 * Pasted text to the number it holds: "Tel. 03-1234-5678 (office)" → +81312345678
 * for a JP company. Labels, notes and full-width digits are dropped; a pasted
 * tel:/callto: link is read as a link. The run with the most digits wins, so a
 * short extension or postcode next to the number does not.
 */
export function cleanPastedNumber(text: string, country: string): DialCheck {
  const folded = foldNumberText(text.slice(0, maxPasteLength));
  if (/^(tel|callto):/i.test(folded)) {
    const link = parseDialUri(folded, country);
    return link.ok ? checkDialable(link.e164, country) : { ok: false, problem: "invalid" };
  }
  const runs = (folded.match(numberRun) ?? []).map((run) => run.trim());
  const best = runs.reduce<string | null>((a, b) => (a === null || digitCount(b) > digitCount(a) ? b : a), null);
  if (best === null) return checkDialable(folded, country);
  return checkDialable(unbalancedParensStripped(best), country);
}

function digitCount(text: string): number {
  return text.replace(/\D/g, "").length;
}

/** "(03) 1234-5678" keeps its parentheses; a run cut at "5678 (" loses the stray one. */
function unbalancedParensStripped(text: string): string {
  const opens = (text.match(/\(/g) ?? []).length;
  const closes = (text.match(/\)/g) ?? []).length;
  return opens === closes ? text : text.replace(/[()]/g, " ").trim();
}
