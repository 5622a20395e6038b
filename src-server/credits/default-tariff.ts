import metadata from "libphonenumber-js/metadata.min.json";
import { tariffCsvColumns } from "../../src-shared/credits/tariff-csv";

/**
 * The tariff every company starts with (tariff version 1): one row per ITU
 * calling code, named after the code's main country, plus mobile/fixed splits
 * where the biggest markets price them apart and the Caribbean's NANP area
 * codes. USD per minute, in the CSV format of src-shared/credits/TARIFF-CSV.md.
 */
export const defaultTariffSource = "default";
export const defaultTariffFrom = "2026-01-01";

type Kind = "fixed" | "mobile" | "other";
/** prefix, destination, kind, rate per minute (USD), increments. */
type Line = [string, string, Kind, string, string];

const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
const countryName = (region: string): string => regionNames.of(region) ?? region;

const nonGeographicNames: Readonly<Record<string, string>> = {
  "800": "International Freephone",
  "808": "International Shared Cost",
  "870": "Inmarsat",
  "878": "Universal Personal Telecommunications",
  "881": "Global Mobile Satellite System",
  "882": "International Networks",
  "883": "International Networks",
  "888": "OCHA",
  "979": "International Premium Rate",
};

/** [code, fixed, mobile, fixed prefixes' rate is for the code itself; mobile prefixes under it]. */
const splits: readonly { code: string; name: string; fixed: string; mobile: string; increments: string; mobilePrefixes: readonly string[] }[] = [
  { code: "81", name: "Japan", fixed: "0.05", mobile: "0.12", increments: "30/6", mobilePrefixes: ["8170", "8180", "8190"] },
  { code: "44", name: "United Kingdom", fixed: "0.012", mobile: "0.035", increments: "1/1", mobilePrefixes: ["4471", "4472", "4473", "4474", "4475", "4477", "4478", "4479"] },
  { code: "49", name: "Germany", fixed: "0.015", mobile: "0.06", increments: "1/1", mobilePrefixes: ["4915", "4916", "4917"] },
  { code: "33", name: "France", fixed: "0.015", mobile: "0.04", increments: "1/1", mobilePrefixes: ["336", "337"] },
  { code: "91", name: "India", fixed: "0.025", mobile: "0.02", increments: "60/60", mobilePrefixes: ["916", "917", "918", "919"] },
  { code: "86", name: "China", fixed: "0.02", mobile: "0.02", increments: "60/60", mobilePrefixes: ["8613", "8614", "8615", "8616", "8617", "8618", "8619"] },
  { code: "61", name: "Australia", fixed: "0.03", mobile: "0.06", increments: "60/60", mobilePrefixes: ["614"] },
  { code: "82", name: "South Korea", fixed: "0.03", mobile: "0.04", increments: "60/60", mobilePrefixes: ["8210"] },
  { code: "39", name: "Italy", fixed: "0.02", mobile: "0.05", increments: "1/1", mobilePrefixes: ["393"] },
  { code: "34", name: "Spain", fixed: "0.015", mobile: "0.04", increments: "1/1", mobilePrefixes: ["346", "347"] },
  { code: "31", name: "Netherlands", fixed: "0.02", mobile: "0.08", increments: "1/1", mobilePrefixes: ["316"] },
  { code: "7", name: "Russia", fixed: "0.05", mobile: "0.06", increments: "60/60", mobilePrefixes: ["79"] },
  { code: "65", name: "Singapore", fixed: "0.015", mobile: "0.015", increments: "60/60", mobilePrefixes: ["658", "659"] },
  { code: "852", name: "Hong Kong", fixed: "0.02", mobile: "0.02", increments: "60/60", mobilePrefixes: ["8525", "8526", "8529"] },
  { code: "886", name: "Taiwan", fixed: "0.03", mobile: "0.1", increments: "60/60", mobilePrefixes: ["8869"] },
  { code: "63", name: "Philippines", fixed: "0.1", mobile: "0.15", increments: "60/60", mobilePrefixes: ["639"] },
  { code: "62", name: "Indonesia", fixed: "0.06", mobile: "0.08", increments: "60/60", mobilePrefixes: ["628"] },
  { code: "27", name: "South Africa", fixed: "0.04", mobile: "0.12", increments: "60/60", mobilePrefixes: ["276", "277", "278"] },
];

/** A Brazilian mobile number is the area code (DDD 11–99) followed by 9. */
const brazilAreaCodes = [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38, 41, 42, 43, 44, 45, 46, 47, 48, 49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69, 71, 73, 74, 75, 77, 79, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 92, 93, 94, 95, 96, 97, 98, 99];

/** US territories inside the NANP are priced like the mainland; the Caribbean is not. */
const nanpDomestic = new Set(["US", "CA", "PR", "GU", "AS", "MP", "VI"]);
const nanpAreaCodes: Readonly<Record<string, string>> = { DO: "809|829|849" };

/** A typical wholesale-plus-margin rate by the code's world zone (its first digit), for codes without their own. */
function zoneRate(code: string): string {
  if (/^6[7-9]/.test(code)) return "0.6"; // Pacific islands
  if (/^(88[1-3]|870)/.test(code)) return "2.5"; // satellite and international networks
  if (/^(800|808|878|888|979)$/.test(code)) return "1.0";
  switch (code.charAt(0)) {
    case "2":
      return "0.15";
    case "3":
    case "4":
      return "0.04";
    case "5":
      return "0.08";
    case "6":
      return "0.1";
    case "8":
      return "0.08";
    case "9":
      return "0.14";
    default:
      return "0.05";
  }
}

const fixedRates: Readonly<Record<string, string>> = { "52": "0.015", "55": "0.03", "20": "0.12", "212": "0.2", "971": "0.12", "966": "0.12", "90": "0.05", "48": "0.02", "46": "0.02", "41": "0.025", "32": "0.02", "353": "0.02", "1": "0.013" };

function lines(): Line[] {
  const out: Line[] = [];
  const split = new Map(splits.map((s) => [s.code, s]));
  for (const [code, regions] of Object.entries(metadata.country_calling_codes)) {
    const main: string | undefined = regions[0];
    if (code === "1") {
      out.push(["1", "United States and Canada", "other", "0.013", "60/60"]);
      continue;
    }
    const own = split.get(code);
    if (own) {
      out.push([code, own.name, "fixed", own.fixed, own.increments]);
      for (const prefix of own.mobilePrefixes) out.push([prefix, `${own.name}, mobile`, "mobile", own.mobile, own.increments]);
      continue;
    }
    const name = main === "001" || main === undefined ? (nonGeographicNames[code] ?? `International ${code}`) : countryName(main);
    out.push([code, name, main === "001" ? "other" : "fixed", fixedRates[code] ?? zoneRate(code), "60/60"]);
  }
  for (const ddd of brazilAreaCodes) out.push([`55${ddd}9`, "Brazil, mobile", "mobile", "0.08", "60/60"]);
  for (const region of metadata.country_calling_codes["1"] ?? []) {
    if (nanpDomestic.has(region)) continue;
    const countryData = (metadata.countries as Record<string, readonly unknown[]>)[region];
    const codes = nanpAreaCodes[region] ?? (typeof countryData?.[10] === "string" ? countryData[10] : "");
    for (const area of codes.split("|").filter((a) => /^\d{3}$/.test(a))) out.push([`1${area}`, countryName(region), "other", "0.15", "60/60"]);
  }
  // Kazakhstan shares +7 with Russia: its numbers start 76 and 77.
  out.push(["76", "Kazakhstan", "other", "0.12", "60/60"], ["77", "Kazakhstan", "other", "0.12", "60/60"]);
  const seen = new Set<string>();
  return out.filter(([prefix]) => !seen.has(prefix) && seen.add(prefix));
}

const quote = (text: string): string => (/[",]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/** The shipped tariff as a CSV file (the same format the operator imports). */
export function defaultTariffCsv(): string {
  const rows = lines().map(([prefix, name, kind, rate, increments]) => [prefix, quote(name), kind, rate, "0", increments, defaultTariffFrom, ""].join(","));
  return [tariffCsvColumns.join(","), ...rows].join("\n") + "\n";
}
