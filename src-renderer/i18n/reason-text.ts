import type { ErrorReason, ParamValue } from "../../src-shared/error-reasons";
import { microsPerUnit } from "../../src-shared/format";

type T = (key: string, options?: Record<string, unknown>) => string;

/**
 * A refusal's reason in the UI language. Money params (`…Micros`) reach the
 * strings as dollars under the name without the suffix, for their Intl
 * currency format; a schema refusal names its field in words.
 */
export function reasonText(t: T, reason: ErrorReason, params: Readonly<Record<string, ParamValue>>): string {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === "number" && key.endsWith("Micros")) values[key.slice(0, -"Micros".length)] = value / microsPerUnit;
    else values[key] = value;
  }
  if (reason === "invalid_field") {
    // The whole body has no field name; a field without words of its own is named as the request names it.
    const field = String(params.field ?? "") || "request";
    values.field = t(`fields.${field}`, { defaultValue: field });
    return t(`reasons.invalid_field.${String(params.rule)}`, values);
  }
  return t(`reasons.${reason}`, values);
}
