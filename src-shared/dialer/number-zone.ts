import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/**
 * Area codes whose numbers ring in one known IANA zone, for countries that
 * span several. Only codes that lie wholly inside one zone are listed (El
 * Paso's 915 or Idaho's 208 are not); a number outside the table falls back
 * to the country's strict rule. Mobile numbers keep their area code when
 * people move, so this is where the number was issued, as every dialer judges.
 */
const nanp: Record<string, readonly string[]> = {
  "America/New_York": ["201", "202", "203", "207", "212", "215", "216", "267", "301", "305", "332", "347", "404", "407", "410", "412", "440", "551", "609", "610", "614", "617", "646", "678", "703", "704", "718", "732", "757", "770", "786", "804", "813", "857", "860", "862", "904", "908", "914", "917", "919", "929", "954", "973", "978"],
  "America/Detroit": ["248", "313", "586", "734"],
  "America/Chicago": ["205", "210", "214", "217", "224", "281", "312", "314", "331", "346", "405", "414", "469", "504", "512", "601", "612", "615", "630", "651", "708", "713", "737", "773", "816", "832", "847", "901", "918", "952", "972"],
  "America/Denver": ["303", "307", "385", "406", "505", "719", "720", "801"],
  "America/Phoenix": ["480", "520", "602", "623", "928"],
  "America/Los_Angeles": ["206", "209", "213", "253", "310", "323", "408", "415", "424", "425", "503", "510", "530", "559", "562", "619", "626", "628", "650", "657", "661", "702", "707", "714", "725", "747", "760", "805", "818", "858", "909", "916", "925", "949", "971"],
  "America/Anchorage": ["907"],
  "Pacific/Honolulu": ["808"],
  "America/Toronto": ["226", "289", "343", "416", "437", "438", "450", "514", "519", "613", "647", "705", "819", "905"],
  "America/Winnipeg": ["204", "431"],
  "America/Edmonton": ["403", "587", "780", "825"],
  "America/Vancouver": ["236", "250", "604", "672", "778"],
  "America/Halifax": ["782", "902"],
};
const nanpZones = new Map(Object.entries(nanp).flatMap(([zone, codes]) => codes.map((code) => [code, zone] as const)));

/** Australia's geographic areas; 08 spans Adelaide, Darwin and Perth, and mobiles (04) any state. */
const australia: Record<string, string> = { "2": "Australia/Sydney", "3": "Australia/Melbourne", "7": "Australia/Brisbane" };

/** The zone the number rings in when its area code tells one apart in a country of several zones; null: it does not. */
export function zoneOfNumber(e164: string): string | null {
  const parsed = parsePhoneNumberFromString(e164);
  if (parsed === undefined) return null;
  const national = parsed.nationalNumber;
  if (parsed.countryCallingCode === "1" && (parsed.country === "US" || parsed.country === "CA")) return nanpZones.get(national.slice(0, 3)) ?? null;
  if (parsed.country === "AU") return australia[national.slice(0, 1)] ?? null;
  return null;
}
