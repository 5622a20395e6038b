// The max build: the dialer already loads its metadata, and the default entry would add a second copy (min) to the first paint.
import { getCountries } from "libphonenumber-js/max";
import { regionName } from "./region-name";

type T = (key: string, options?: Record<string, unknown>) => string;

/**
 * Tariff destinations are named in English after their region (the default
 * tariff uses Intl's English region names, "Japan, mobile" for a mobile range);
 * the UI shows the same region in its own language. A few names are not
 * regions (satellite and international services): those have their own words.
 * Anything else (an operator's own label) stays as the tariff wrote it.
 */
let regionByEnglishName: ReadonlyMap<string, string> | null = null;

function regionOf(englishName: string): string | undefined {
  if (regionByEnglishName === null) {
    regionByEnglishName = new Map(getCountries().map((code) => [regionName(code, "en"), code]));
  }
  return regionByEnglishName.get(englishName);
}

const serviceKeys: Readonly<Record<string, string>> = {
  "International Freephone": "freephone",
  "International Shared Cost": "sharedCost",
  "Universal Personal Telecommunications": "personalTelecom",
  "Global Mobile Satellite System": "satellite",
  "International Networks": "networks",
  "International Premium Rate": "premiumRate",
};

/** A tariff destination in the UI language: "Japan" → "日本", "Japan, mobile" → "日本" (the kind is shown beside it). */
export function destinationName(tariffName: string, locale: string, t: T): string {
  const name = tariffName.replace(/, (mobile|fixed)$/, "");
  const region = regionOf(name);
  if (region !== undefined) return regionName(region, locale);
  const pair = /^(.+) and (.+)$/.exec(name);
  if (pair) {
    const [a, b] = [regionOf(pair[1] ?? ""), regionOf(pair[2] ?? "")];
    if (a !== undefined && b !== undefined) return new Intl.ListFormat(locale, { type: "conjunction" }).format([regionName(a, locale), regionName(b, locale)]);
  }
  const service = serviceKeys[name];
  if (service !== undefined) return t(`destinations.${service}`);
  const numbered = /^International (\d+)$/.exec(name);
  if (numbered) return t("destinations.international", { code: numbered[1] });
  return tariffName;
}
