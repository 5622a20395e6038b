import { getCountries, getCountryCallingCode } from "libphonenumber-js/max";

export interface CountryOption {
  code: string;
  name: string;
  callingCode: string;
}

/** Every country libphonenumber knows, named in the UI language, sorted by that name; the company's country first. */
export function countryOptions(language: string, firstCountry: string): CountryOption[] {
  const names = new Intl.DisplayNames([language], { type: "region" });
  const collator = new Intl.Collator(language);
  const options = getCountries().map((code) => ({ code, name: names.of(code) ?? code, callingCode: getCountryCallingCode(code) }));
  options.sort((a, b) => collator.compare(a.name, b.name));
  const first = options.findIndex((option) => option.code === firstCountry);
  if (first > 0) options.unshift(...options.splice(first, 1));
  return options;
}
