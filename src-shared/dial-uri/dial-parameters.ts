import { decodeOnce } from "./percent-decode";
import { foldUriText } from "./number-text";
import { readPhoneContext, type PhoneContext } from "./phone-context";
import type { DialUriProblem } from "./problems";
import { hasUnsafeCharacters } from "./unsafe-characters";

export interface DialParameters {
  context: PhoneContext | null;
  extension: string | null;
}

export type ParameterReading = { ok: true; parameters: DialParameters } | { ok: false; problem: DialUriProblem };

/** Routing hints (RFC 4694, RFC 4904) that do not change who is called: our trunk routes by the E.164 number. */
const ignoredNames = new Set(["npdi", "rn", "rn-context", "cic", "cic-context", "tgrp", "trunk-context"]);

/**
 * Reads the `;`-separated parameters of a dial URI. `ext` is kept for the UI
 * (we dial the main number; the user asks for the extension). `postd` is DTMF
 * and `isub` an ISDN subaddress we cannot deliver: both refused, as is any
 * parameter we do not know. A segment that is not `name[=value]` (";1234",
 * a trailing ";") is `;` used as a dial pause.
 */
export function readDialParameters(segments: readonly string[]): ParameterReading {
  const seen = new Set<string>();
  const parameters: DialParameters = { context: null, extension: null };
  for (const segment of segments) {
    const equals = segment.indexOf("=");
    const rawName = equals === -1 ? segment : segment.slice(0, equals);
    if (!/^[a-z0-9-]+$/i.test(rawName) || !/[a-z]/i.test(rawName)) {
      return fail(equals === -1 ? "dtmf_characters" : "invalid");
    }
    const name = rawName.toLowerCase();
    if (seen.has(name)) return fail("invalid");
    seen.add(name);

    const value = equals === -1 ? null : decodeOnce(segment.slice(equals + 1));
    if (equals !== -1 && value === null) return fail("malformed_escape");
    if (value !== null && hasUnsafeCharacters(value)) return fail("control_characters");

    const problem = applyParameter(parameters, name, value);
    if (problem) return fail(problem);
  }
  return { ok: true, parameters };
}

function applyParameter(parameters: DialParameters, name: string, value: string | null): DialUriProblem | null {
  switch (name) {
    case "phone-context":
      parameters.context = value === null ? null : readPhoneContext(value);
      return parameters.context ? null : "invalid";
    case "ext":
      parameters.extension = value === null ? null : readExtension(value);
      return parameters.extension ? null : "invalid";
    case "postd":
      return "dtmf_characters";
    case "isub":
    case "isub-encoding":
      return "unsupported_parameter";
    default:
      return ignoredNames.has(name) ? null : "unsupported_parameter";
  }
}

/** RFC 3966 `ext=1*phonedigit`: digits with visual separators, at most 15 digits. */
function readExtension(value: string): string | null {
  const text = foldUriText(value);
  if (!/^[0-9 ().-]+$/.test(text)) return null;
  const digits = text.replace(/\D/g, "");
  return digits.length > 0 && digits.length <= 15 ? digits : null;
}

const fail = (problem: DialUriProblem): ParameterReading => ({ ok: false, problem });
