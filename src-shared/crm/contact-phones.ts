import { CallerError } from "../errors";
import { normalizeNumber } from "../phone/normalize";
import type { ContactPhone, PhoneInput } from "../server-api/crm";

/**
 * A contact's typed numbers read in the company's country, duplicates dropped;
 * one bad number refuses the whole edit. The server stores what this returns,
 * and the desktop shows the same before the server has answered.
 */
export function normalizeContactPhones(phones: readonly PhoneInput[], country: string): ContactPhone[] {
  const out: ContactPhone[] = [];
  for (const phone of phones) {
    const normalized = normalizeNumber(phone.number, country);
    if (!normalized.ok) throw new CallerError("invalid_number", `"${phone.number}" is not a valid number (${normalized.problem})`);
    if (!out.some((p) => p.number === normalized.e164)) out.push({ number: normalized.e164, label: phone.label });
  }
  return out;
}
