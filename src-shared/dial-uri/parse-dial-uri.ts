import { checkEmergency } from "../phone/emergency";
import { normalizeNumber } from "../phone/normalize";
import { applyPhoneContext } from "./apply-phone-context";
import { readDialParameters } from "./dial-parameters";
import { numberTypeVerdict } from "./number-type-policy";
import { foldUriText, screenNumberText } from "./number-text";
import { decodeOnce } from "./percent-decode";
import { refuse, type DialUri } from "./problems";
import { hasUnsafeCharacters } from "./unsafe-characters";
import { splitDialUri } from "./uri-parts";

/** Longer input is refused before anything else looks at it. */
export const maxDialUriLength = 2048;

const e164Shape = /^\+[1-9][0-9]{1,14}$/;

/**
 * Reads a `tel:` (RFC 3966) or `callto:` link as an E.164 number to prefill the
 * dialer, reading local numbers in the company's `defaultCountry` (ISO 3166
 * alpha-2). Anything that is not a dialable number of a person or business is
 * refused with a named problem, and a refusal never carries a number.
 */
export function parseDialUri(uri: string, defaultCountry: string): DialUri {
  if (uri.length > maxDialUriLength) return refuse("too_long");
  if (hasUnsafeCharacters(uri)) return refuse("control_characters");
  const trimmed = uri.trim();
  if (trimmed === "") return refuse("empty");
  const parts = splitDialUri(trimmed);
  if (!parts) return refuse("not_a_dial_uri");

  const decoded = decodeOnce(parts.target);
  if (decoded === null) return refuse("malformed_escape");
  if (hasUnsafeCharacters(decoded)) return refuse("control_characters");
  // A "%" left after one decoding is a double-encoded link ("%252B"): refused, not decoded again.
  if (decoded.includes("%")) return refuse("malformed_escape");
  const numberText = foldUriText(decoded);
  const screened = screenNumberText(numberText, parts.scheme);
  if (screened) return refuse(screened);

  const reading = readDialParameters(parts.parameters);
  if (!reading.ok) return refuse(reading.problem);
  const located = applyPhoneContext(numberText, reading.parameters.context);
  if (!located.ok) return refuse(located.problem);
  return toDialable(located.text, defaultCountry, reading.parameters.extension);
}

function toDialable(text: string, defaultCountry: string, extension: string | null): DialUri {
  if (checkEmergency(text, defaultCountry).emergency) return refuse("emergency");
  const normalized = normalizeNumber(text, defaultCountry);
  if (!normalized.ok) return refuse(normalized.problem);
  if (!e164Shape.test(normalized.e164)) return refuse("invalid");
  if (checkEmergency(normalized.e164, defaultCountry).emergency) return refuse("emergency");
  const verdict = numberTypeVerdict(normalized.e164);
  if (verdict !== "dial") return refuse(verdict);
  return { ok: true, e164: normalized.e164, display: normalized.international, extension };
}
