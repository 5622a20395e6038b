import { getCountryCallingCode, type CountryCode } from "libphonenumber-js/max";
import { foldNumberText } from "./normalize";

/**
 * Emergency short codes by ISO country. Caller cannot place emergency calls
 * (no location, no guaranteed routing), so these are refused before anything
 * is sent and the user is told to use a phone.
 */
const emergencyCodes: Readonly<Record<string, readonly string[]>> = {
  JP: ["110", "118", "119"],
  US: ["911", "933"],
  CA: ["911"],
  MX: ["911"],
  GB: ["999", "112"],
  IE: ["999", "112"],
  AU: ["000", "106", "112"],
  NZ: ["111"],
  KR: ["112", "119"],
  CN: ["110", "119", "120", "122"],
  TW: ["110", "119"],
  HK: ["999"],
  SG: ["995", "999"],
  IN: ["100", "101", "102", "108", "112"],
  PH: ["911"],
  BR: ["190", "192", "193"],
  ZA: ["10111", "10177"],
  DE: ["110", "112"],
  FR: ["15", "17", "18", "112", "114", "115"],
  IT: ["112", "113", "115", "118"],
  ES: ["112", "091", "092", "061"],
  CH: ["112", "117", "118", "144"],
  AT: ["112", "122", "133", "144"],
  NL: ["112"],
  SE: ["112"],
};

/** Mobile networks route these everywhere, whatever the company's country. */
const universalCodes = ["112", "911", "999", "000"];

export type EmergencyCheck = { emergency: false } | { emergency: true; code: string };

/**
 * Whether what the user typed is an emergency number for `country` (the
 * company's), either as a short code ("110", "1-1-0") or behind that
 * country's calling code ("+81 110").
 */
export function checkEmergency(input: string, country: string): EmergencyCheck {
  const text = foldNumberText(input);
  if (!/^[+]?[0-9 ().-]+$/.test(text)) return { emergency: false };
  const digits = text.replace(/\D/g, "");
  const upper = country.toUpperCase();
  const codes = new Set([...(emergencyCodes[upper] ?? []), ...universalCodes]);
  if (!text.startsWith("+")) return codes.has(digits) ? { emergency: true, code: digits } : { emergency: false };

  for (const [iso, local] of Object.entries(emergencyCodes)) {
    const callingCode = callingCodeOf(iso);
    if (callingCode === null || !digits.startsWith(callingCode)) continue;
    const rest = digits.slice(callingCode.length);
    if (local.includes(rest) || universalCodes.includes(rest)) return { emergency: true, code: rest };
  }
  return { emergency: false };
}

function callingCodeOf(iso: string): string | null {
  try {
    return getCountryCallingCode(iso as CountryCode);
  } catch {
    return null;
  }
}
