import secureJsonParse from "secure-json-parse";
import type { z } from "zod";
import type { TariffRow } from "../../src-shared/credits/tariff";
import { parseTariffCsv } from "../../src-shared/credits/tariff-csv";
import { diffTariff } from "../../src-shared/credits/tariff-diff";
import type { CallerError } from "../../src-shared/errors";
import { schemaIssue } from "../../src-shared/field-reason";
import { schemaRefusal, toHttpError } from "../http/error-handler";
import type { TariffPreviewSummary, WireError } from "./import-protocol";

/** What runs on the import worker: parse, check and compare, no I/O (the inline parser runs the same). */
export function previewTariffFile(csv: string, current: readonly TariffRow[], listLimit: number): TariffPreviewSummary {
  const { rows, rejected } = parseTariffCsv(csv);
  const diff = diffTariff(current, rows);
  return {
    rows: rows.length,
    rejected: rejected.slice(0, listLimit),
    counts: { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length, unchanged: diff.unchanged },
    added: diff.added.slice(0, listLimit),
    changed: diff.changed.slice(0, listLimit),
    removed: diff.removed.slice(0, listLimit),
  };
}

/** Where Fastify's own JSON parser would have refused the body: the server's thread answers with Fastify's error. */
export class JsonBodyError extends Error {
  override readonly name = "JsonBodyError";
  constructor(readonly fastify: "FST_ERR_CTP_EMPTY_JSON_BODY" | "FST_ERR_CTP_INVALID_JSON_BODY") {
    super(fastify);
  }
}

/**
 * A request body read as the route's JSON parser and body schema would read
 * it on the server's thread: the same refusals with the same messages
 * (secure-json-parse with Fastify's defaults, then the schema's issues).
 */
export function readJsonBody<T>(chunks: readonly Uint8Array[], schema: z.ZodType<T>): T {
  // Concatenated here, and let go as soon as the text is parsed.
  const bytes = Buffer.concat(chunks);
  if (bytes.length === 0) throw new JsonBodyError("FST_ERR_CTP_EMPTY_JSON_BODY");
  let value: unknown;
  try {
    value = secureJsonParse(bytes, { protoAction: "error", constructorAction: "error" });
  } catch {
    throw new JsonBodyError("FST_ERR_CTP_INVALID_JSON_BODY");
  }
  const result = schema.safeParse(value);
  if (!result.success) throw bodyRefusal(result.error.issues);
  return result.data;
}

/** The 400 a route's body schema gives on the server's thread (fastify-type-provider-zod's issues, as the error handler words them). */
export function bodyRefusal(issues: z.ZodError["issues"]): CallerError {
  return schemaRefusal("body", issues.map(schemaIssue));
}

/** An error thrown on the import thread, as the server's thread passes it on to the client. */
export function toWireError(error: unknown): WireError {
  if (error instanceof JsonBodyError) return { fastify: error.fastify };
  return { reply: toHttpError(error), detail: error instanceof Error ? error.message : String(error) };
}
