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

/**
 * The look-ups the server answers, as Asterisk 22 makes them (recorded at start, on
 * REGISTER, INVITE, qualify and restart; pbx-config/README.md lists them): one object by
 * its exact id, or every object of a family (`id LIKE %`), which only the ban list serves.
 */
export type RealtimeLookup = { kind: "by-id"; id: string } | { kind: "all" } | { kind: "other" };

export function classifyLookup(op: string, conditions: readonly RealtimeCondition[]): RealtimeLookup {
  const [only, ...rest] = conditions;
  if (only === undefined || rest.length > 0 || only.field !== "id") return { kind: "other" };
  if (op === "single" && only.op === "=" && only.value !== "") return { kind: "by-id", id: only.value };
  if (op === "multi" && only.op === "LIKE" && only.value === "%") return { kind: "all" };
  return { kind: "other" };
}

/** What a refused look-up asked for, for the log: field and operator names, never a value. */
export function describeLookup(family: string, op: string, body: string): string {
  try {
    const shape = parseConditions(body).map((c) => `${c.field} ${c.op}`);
    return `${family}/${op} ${shape.join(" & ") || "(no condition)"}`;
  } catch {
    return `${family}/${op} (unreadable conditions)`;
  }
}

export function formatRow(row: RealtimeRow): string {
  return row.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join("&");
}
