import type { RawActionValue } from "asterisk-manager";
import { CallerError } from "../../src-shared/errors";

export type AmiActionValue = string | number | boolean | readonly string[] | Readonly<Record<string, string | number>> | undefined;
export type AmiAction = { Action: string } & Record<string, AmiActionValue>;

const headerName = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** AMI frames are CRLF-separated headers: a CR or LF (or NUL) in a value would start a new header. */
export function stripLineBreaks(value: string): string {
  return value.replace(/[\r\n\0]/g, "");
}

/**
 * The action as the library will write it, every value one line. Header names
 * are ours, not user input, so a bad one is a bug and throws rather than being
 * silently rewritten. Undefined values are left out.
 */
export function sanitizeAction(action: AmiAction): Record<string, RawActionValue> {
  const out: Record<string, RawActionValue> = {};
  for (const [name, value] of Object.entries(action)) {
    if (!headerName.test(name)) throw new CallerError("bad_request", `invalid AMI header name ${JSON.stringify(name)}`);
    if (name.toLowerCase() === "actionid") throw new CallerError("bad_request", "the AMI client assigns ActionID itself");
    if (value === undefined) continue;
    out[name] = sanitizeValue(value);
  }
  return out;
}

function sanitizeValue(value: Exclude<AmiActionValue, undefined>): RawActionValue {
  if (typeof value === "string") return stripLineBreaks(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (isStringArray(value)) return value.map(stripLineBreaks);
  const entries: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    // A name holding '=' would move the split point of `name=value`.
    entries[stripLineBreaks(key).replace(/=/g, "")] = stripLineBreaks(String(item));
  }
  return entries;
}

function isStringArray(value: unknown): value is readonly string[] {
  return Array.isArray(value);
}
