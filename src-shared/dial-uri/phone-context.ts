import { foldUriText } from "./number-text";

/** RFC 3966 `phone-context`: a global number prefix ("+81", "+1-201") or a private domain. */
export type PhoneContext = { kind: "global"; digits: string } | { kind: "domain"; domain: string };

const maxDomainLength = 253;

/** Reads a decoded `phone-context` value; null when it is neither form. */
export function readPhoneContext(value: string): PhoneContext | null {
  const text = foldUriText(value);
  if (text.startsWith("+")) {
    if (!/^\+[0-9().-]+$/.test(text)) return null;
    const digits = text.replace(/\D/g, "");
    return digits.length > 0 && digits.length <= 15 ? { kind: "global", digits } : null;
  }
  return isDomainName(text) ? { kind: "domain", domain: text.toLowerCase() } : null;
}

/** RFC 3966 domainname: labels of letters, digits and inner "-", the last starting with a letter, optional final ".". */
function isDomainName(text: string): boolean {
  if (text.length === 0 || text.length > maxDomainLength) return false;
  const labels = (text.endsWith(".") ? text.slice(0, -1) : text).split(".");
  const top = labels[labels.length - 1] ?? "";
  return labels.every(isLabel) && /^[a-z]/i.test(top);
}

function isLabel(label: string): boolean {
  return /^[a-z0-9-]{1,63}$/i.test(label) && !label.startsWith("-") && !label.endsWith("-");
}
