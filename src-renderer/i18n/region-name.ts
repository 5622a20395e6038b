// Each Intl.DisplayNames costs a look into ICU's data; the dialer asks on every start.
const regionNames = new Map<string, Intl.DisplayNames>();

/** The region's name in `locale` ("JP" → "Japan" / "日本"), or the code itself when Intl has none. */
export function regionName(code: string, locale: string): string {
  let names = regionNames.get(locale);
  if (names === undefined) {
    names = new Intl.DisplayNames([locale], { type: "region" });
    regionNames.set(locale, names);
  }
  return names.of(code) ?? code;
}
