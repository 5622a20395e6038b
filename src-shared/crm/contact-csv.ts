import { splitCsvLine } from "../credits/csv-line";
import { normalizeNumber } from "../phone/normalize";
import { readPhoneLabel, type PhoneLabel } from "./phone-labels";

export interface ImportedPhone {
  number: string;
  label: PhoneLabel;
}

export interface ImportedContact {
  /** 1-based line of the file, for messages. */
  line: number;
  name: string;
  organization: string | null;
  email: string | null;
  phones: ImportedPhone[];
}

export interface RejectedRow {
  line: number;
  reason: string;
}

export interface ContactCsvReport {
  contacts: ImportedContact[];
  rejected: RejectedRow[];
}

export const contactCsvColumns = ["name", "organization", "phones", "email"] as const;
export const maxContactRows = 5000;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * One phone cell holds several numbers separated by `;` or `|`, each with an
 * optional label before a colon: `mobile: 090-1234-5678; work: +1 201 555 0123`.
 */
function readPhones(cell: string, country: string): { ok: true; phones: ImportedPhone[] } | { ok: false; reason: string } {
  const phones: ImportedPhone[] = [];
  for (const part of cell.split(/[;|]/)) {
    const text = part.trim();
    if (text === "") continue;
    const colon = text.indexOf(":");
    const label = colon >= 0 ? readPhoneLabel(text.slice(0, colon)) : "work";
    const raw = colon >= 0 ? text.slice(colon + 1) : text;
    const normalized = normalizeNumber(raw, country);
    if (!normalized.ok) return { ok: false, reason: `phone "${raw.trim()}" is not a valid number (${normalized.problem})` };
    if (!phones.some((p) => p.number === normalized.e164)) phones.push({ number: normalized.e164, label });
  }
  return { ok: true, phones };
}

function headerIndexes(fields: string[]): Map<string, number> | string {
  const indexes = new Map<string, number>();
  fields.forEach((field, i) => indexes.set(field.trim().toLowerCase(), i));
  const missing = contactCsvColumns.filter((c) => c !== "email" && c !== "organization" && !indexes.has(c));
  return missing.length > 0 ? `the header must name the columns ${contactCsvColumns.join(", ")} (missing: ${missing.join(", ")})` : indexes;
}

/**
 * Reads a contacts CSV (header: name, organization, phones, email; organization
 * and email optional). Every row is checked; a bad row is reported by line with
 * the reason and never half-imported. Numbers without + are read in `country`.
 */
export function parseContactCsv(text: string, country: string): ContactCsvReport {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const contacts: ImportedContact[] = [];
  const rejected: RejectedRow[] = [];
  const header = splitCsvLine(lines[0] ?? "");
  const indexes = header.ok ? headerIndexes(header.fields) : header.problem;
  if (typeof indexes === "string") return { contacts, rejected: [{ line: 1, reason: indexes }] };
  const cell = (fields: string[], column: string): string => {
    const at = indexes.get(column);
    return at === undefined ? "" : (fields[at] ?? "").trim();
  };
  for (let i = 1; i < lines.length; i += 1) {
    const line = i + 1;
    const raw = lines[i] ?? "";
    if (raw.trim() === "") continue;
    if (contacts.length + rejected.length >= maxContactRows) {
      rejected.push({ line, reason: `a file holds at most ${maxContactRows} contacts` });
      break;
    }
    const split = splitCsvLine(raw);
    if (!split.ok) {
      rejected.push({ line, reason: split.problem });
      continue;
    }
    const name = cell(split.fields, "name");
    const email = cell(split.fields, "email");
    const organization = cell(split.fields, "organization");
    if (name === "") {
      rejected.push({ line, reason: "the name is empty" });
      continue;
    }
    if (name.length > 200 || organization.length > 200) {
      rejected.push({ line, reason: "a name is longer than 200 characters" });
      continue;
    }
    if (email !== "" && (!emailPattern.test(email) || email.length > 254)) {
      rejected.push({ line, reason: `"${email}" is not an email address` });
      continue;
    }
    const phones = readPhones(cell(split.fields, "phones"), country);
    if (!phones.ok) {
      rejected.push({ line, reason: phones.reason });
      continue;
    }
    if (phones.phones.length === 0 && email === "") {
      rejected.push({ line, reason: "a contact needs a phone number or an email address" });
      continue;
    }
    contacts.push({ line, name, organization: organization === "" ? null : organization, email: email === "" ? null : email, phones: phones.phones });
  }
  return { contacts, rejected };
}
