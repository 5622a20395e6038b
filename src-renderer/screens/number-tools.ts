// The number rules the dialer needs, with libphonenumber's metadata (about 40 kB gzip):
// loaded after the first paint through use-number-tools.ts.
export { checkDialable } from "../../src-shared/phone/dial-check";
export { pasteToDial } from "./desktop/paste-to-dial";
export { cleanPastedNumber } from "../../src-shared/desktop/clean-pasted-number";
