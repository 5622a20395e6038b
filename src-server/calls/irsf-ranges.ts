import type { DefaultBlockedRange } from "../../src-shared/server-api/operator";

/**
 * Where the country list below comes from: the ranges a US carrier blocks
 * by default on its "International Calling – Standard" option for their
 * high incidence of toll fraud (international revenue share fraud).
 */
export const irsfListSource = "Integra / Electric Lightwave, International Calling Options: http://support.electriclightwave.com/knowledge-base/international-calling-options/";

/**
 * Blocked for every company unless the operator unblocks a range (for the
 * whole service or one company). The first five are the ranges fraudsters
 * lease numbers in whatever the country list says: UK personal numbers
 * (070, forwarded anywhere at a premium) and the satellite and international
 * networks codes, which no carrier prices like a call to a country.
 */
export const defaultBlockedRanges: readonly DefaultBlockedRange[] = [
  { prefix: "+4470", name: "United Kingdom, personal numbers (070)" },
  { prefix: "+870", name: "Inmarsat satellite" },
  { prefix: "+881", name: "Global Mobile Satellite System (Iridium, Globalstar, Thuraya…)" },
  { prefix: "+882", name: "International Networks" },
  { prefix: "+883", name: "International Networks" },
  // The carrier's list (irsfListSource), by ITU country code.
  { prefix: "+994", name: "Azerbaijan" },
  // The list says "Congo": both countries of that name.
  { prefix: "+242", name: "Congo (Republic)" },
  { prefix: "+243", name: "Congo (Democratic Republic)" },
  { prefix: "+53", name: "Cuba" },
  { prefix: "+253", name: "Djibouti" },
  { prefix: "+291", name: "Eritrea" },
  { prefix: "+224", name: "Guinea" },
  { prefix: "+225", name: "Côte d'Ivoire" },
  { prefix: "+371", name: "Latvia" },
  { prefix: "+218", name: "Libya" },
  { prefix: "+389", name: "North Macedonia" },
  { prefix: "+377", name: "Monaco" },
  { prefix: "+850", name: "North Korea" },
  { prefix: "+239", name: "São Tomé and Príncipe" },
  { prefix: "+221", name: "Senegal" },
  { prefix: "+232", name: "Sierra Leone" },
  { prefix: "+386", name: "Slovenia" },
  { prefix: "+252", name: "Somalia" },
  { prefix: "+688", name: "Tuvalu" },
  { prefix: "+263", name: "Zimbabwe" },
];
