import { assertNever } from "../../../src-shared/assert-never";
import { CallerError } from "../../../src-shared/errors";

/**
 * res_config_curl's wire format (res/res_config_curl.c): Asterisk POSTs
 * `field[ op]=value&…` (URL-encoded; the op follows a space, e.g. `id LIKE=%25`)
 * to `<base>/single` or `<base>/multi`, and reads back `key=value&…` — one line
 * for single, one line per object for multi.
 */
export const realtimeOps = ["=", "!=", "LIKE", ">", ">=", "<", "<="] as const;
export type RealtimeOp = (typeof realtimeOps)[number];

export interface RealtimeCondition {
  field: string;
  op: RealtimeOp;
  value: string;
}

/** An object as ordered key/value pairs; `id` first. */
export type RealtimeRow = readonly (readonly [string, string])[];

function isOp(value: string): value is RealtimeOp {
  return (realtimeOps as readonly string[]).includes(value);
}

export function parseConditions(body: string): RealtimeCondition[] {
  const conditions: RealtimeCondition[] = [];
  for (const [name, value] of new URLSearchParams(body)) {
    const [field = "", rawOp = "=", ...rest] = name.trim().split(/\s+/);
    const op = rawOp.toUpperCase();
    if (!/^[a-z_][a-z0-9_]*$/i.test(field) || rest.length > 0 || !isOp(op)) {
      throw new CallerError("bad_request", `unsupported realtime condition ${JSON.stringify(name.slice(0, 64))}`);
    }
    conditions.push({ field, op, value });
  }
  return conditions;
}

function likeToRegExp(pattern: string): RegExp {
  const body = [...pattern].map((c) => (c === "%" ? ".*" : c === "_" ? "." : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${body}$`, "is");
}

function compare(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a !== "" && b !== "" && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

function holds(actual: string | undefined, { op, value }: RealtimeCondition): boolean {
  // A field the object does not have is NULL in SQL terms: no comparison holds.
  if (actual === undefined) return false;
  switch (op) {
    case "=":
      return actual === value;
    case "!=":
      return actual !== value;
    case "LIKE":
      return likeToRegExp(value).test(actual);
    case ">":
      return compare(actual, value) > 0;
    case ">=":
      return compare(actual, value) >= 0;
    case "<":
      return compare(actual, value) < 0;
    case "<=":
      return compare(actual, value) <= 0;
    default:
      return assertNever(op, "realtime operator");
  }
}

export function rowMatches(row: RealtimeRow, conditions: readonly RealtimeCondition[]): boolean {
  const fields = new Map(row);
  return conditions.every((condition) => holds(fields.get(condition.field), condition));
}

/** The id an `id = …` condition asks for, so a single lookup can go straight to it. */
export function exactId(conditions: readonly RealtimeCondition[]): string | undefined {
  return conditions.find((c) => c.field === "id" && c.op === "=")?.value;
}

export function formatRow(row: RealtimeRow): string {
  return row.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join("&");
}
