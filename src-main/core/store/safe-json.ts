import type { z } from "zod";
import { CallerError } from "../../../src-shared/errors";

export type JsonRead<T> = { ok: true; value: T } | { ok: false };

/** JSON text read back from disk, validated: anything unreadable is `{ ok: false }`, never a throw. */
export function parseJson<T>(text: string | null | undefined, schema: z.ZodType<T>): JsonRead<T> {
  if (text == null) return { ok: false };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false };
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
}

/** JSON text to store; refuses what JSON cannot carry (undefined, functions, symbols). */
export function toJson(value: unknown, what: string): string {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) throw new CallerError("bad_request", `${what} is not JSON-serializable`);
  return text;
}
