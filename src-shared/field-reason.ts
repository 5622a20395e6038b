import type { FieldRule, ReasonParams } from "./error-reasons";

/** One schema issue as fastify-type-provider-zod reports it (zod's issue code as `keyword`, the rest in `params`). */
export interface SchemaIssue {
  instancePath: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** A zod issue in the same shape, for schemas parsed by hand (import thread, the core's dispatch). */
export function schemaIssue(issue: { code: string; path: readonly PropertyKey[]; message: string }): SchemaIssue {
  const { code, path, message, ...params } = issue;
  return { instancePath: `/${path.map(String).join("/")}`, message, keyword: code, params };
}

/**
 * The words-level reason for an issue: which field (its last named part of the
 * path: "memberIds" for /memberIds/0) and what rule it broke, with the limit.
 */
export function fieldReason(issue: SchemaIssue): ReasonParams<"invalid_field"> {
  const named = issue.instancePath.split("/").filter((part) => part !== "" && !/^\d+$/.test(part));
  const field = (named[named.length - 1] ?? "").slice(0, 100);
  const { rule, limit } = ruleOf(issue);
  if (limit !== undefined) return { field, rule, limit };
  // A rule whose words need the limit, without one, says only that the value is not valid.
  return { field, rule: rule === "required" || rule === "format" || rule === "choice" ? rule : "invalid" };
}

function ruleOf(issue: SchemaIssue): { rule: FieldRule; limit?: number } {
  const params = issue.params ?? {};
  const origin = params.origin;
  const bound = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : typeof value === "bigint" ? Number(value) : undefined);
  switch (issue.keyword ?? "") {
    case "invalid_type":
      // zod names a missing field "received undefined"; anything else is a wrong kind of value.
      return { rule: /received undefined/.test(issue.message ?? "") ? "required" : "invalid" };
    case "too_small": {
      const limit = bound(params.minimum);
      if (origin === "string") return limit === 1 ? { rule: "required" } : { rule: "too_short", limit };
      if (origin === "array" || origin === "set") return { rule: "too_few", limit };
      return { rule: "too_small", limit };
    }
    case "too_big": {
      const limit = bound(params.maximum);
      if (origin === "string") return { rule: "too_long", limit };
      if (origin === "array" || origin === "set") return { rule: "too_many", limit };
      return { rule: "too_big", limit };
    }
    case "invalid_format":
      return { rule: "format" };
    case "invalid_value":
      return { rule: "choice" };
    default:
      return { rule: "invalid" };
  }
}
