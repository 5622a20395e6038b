import { getCountries } from "libphonenumber-js";

/**
 * Tariff destinations are named in English after their region (the default
 * tariff uses Intl's English region names); the UI shows the same region in
 * its own language. Names that are not a region (satellite networks, an
 * operator's own label) stay as the tariff wrote them.
 */
let regionByEnglishName: ReadonlyMap<string, string> | null = null;

function regionOf(englishName: string): string | undefined {
  if (regionByEnglishName === null) {
    const english = new Intl.DisplayNames(["en"], { type: "region" });
    regionByEnglishName = new Map(getCountries().map((code) => [english.of(code) ?? code, code]));
  }
  return regionByEnglishName.get(englishName);
}

/** A tariff destination in the UI language: "Japan" → "日本". */
export function destinationName(tariffName: string, locale: string): string {
  const region = regionOf(tariffName);
  if (region === undefined) return tariffName;
  return new Intl.DisplayNames([locale], { type: "region" }).of(region) ?? tariffName;
}
