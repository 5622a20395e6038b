import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { CallerError, callerErrorBody, type ErrorBody, type ErrorCode } from "../../src-shared/errors";
import { fieldReason, type SchemaIssue } from "../../src-shared/field-reason";
import type { App } from "./app";

/** Exhaustive on purpose: a new error code must be given its status here. */
const statusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  not_signed_in: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  greeting_too_long: 409,
  transfer_refused: 403,
  rate_limited: 429,
  sign_in_throttled: 429,
  invalid_number: 400,
  internal: 500,
  // The desktop OS refused (link handler, hotkey); never sent by the server, listed for completeness.
  os_refused: 500,
  server_unreachable: 503,
  // The PBX behind the server is down or failed: the server is fine, its upstream is not.
  ami_login_failed: 503,
  ami_not_connected: 503,
  ami_connection_lost: 503,
  ami_timeout: 504,
  ami_action_failed: 502,
};

export interface HttpError {
  status: number;
  body: ErrorBody;
}

/** "body.email: Invalid email address": the part of the request and the field, so the client can point at it. */
export function describeIssues(context: string, issues: readonly SchemaIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const field = issue.instancePath.split("/").filter(Boolean).join(".");
      return `${field === "" ? context : `${context}.${field}`}: ${issue.message ?? "invalid"}`;
    })
    .join("; ");
}

/** A request that does not fit its schema: every issue in the message, the first one as the reason the app words. */
export function schemaRefusal(context: string, issues: readonly SchemaIssue[]): CallerError {
  const message = describeIssues(context, issues);
  const first = issues[0];
  return first === undefined ? new CallerError("bad_request", message, { reason: "invalid_field", params: { field: "", rule: "invalid" } }) : new CallerError("bad_request", message, { reason: "invalid_field", params: fieldReason(first) });
}

function statusOf(error: unknown): number | null {
  if (typeof error !== "object" || error === null || !("statusCode" in error)) return null;
  return typeof error.statusCode === "number" ? error.statusCode : null;
}

/** An error another thread (the import thread) already turned into its reply: passed on unchanged; the message is for the log. */
export class RepliedError extends Error {
  override readonly name = "RepliedError";
  constructor(
    readonly reply: HttpError,
    detail: string,
  ) {
    super(detail);
  }
}

export function toHttpError(error: unknown): HttpError {
  if (error instanceof RepliedError) return error.reply;
  if (hasZodFastifySchemaValidationErrors(error)) {
    return { status: 400, body: callerErrorBody(schemaRefusal(error.validationContext ?? "request", error.validation)) };
  }
  if (error instanceof CallerError) {
    return { status: statusByCode[error.code], body: callerErrorBody(error) };
  }
  // Fastify's own 4xx (malformed JSON, wrong content type, body too large) carry safe messages.
  const status = statusOf(error);
  if (status !== null && status >= 400 && status < 500 && error instanceof Error) {
    // Too large is the one a user meets (a tariff or contacts file): it gets words of its own.
    const refusal = new CallerError(status === 404 ? "not_found" : "bad_request", error.message, status === 413 ? { reason: "body_too_large" } : {});
    return { status, body: callerErrorBody(refusal) };
  }
  return { status: 500, body: { code: "internal", message: "Internal server error" } };
}

export function installErrorHandling(app: App): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toHttpError(error);
    if (body.retryAfterSeconds !== undefined) void reply.header("retry-after", String(body.retryAfterSeconds));
    // A CallerError is an outcome we chose (503 "calls disabled" included); only the unexpected is an error.
    if (status >= 500) {
      if (error instanceof CallerError || (error instanceof RepliedError && body.code !== "internal")) request.log.warn({ code: body.code }, error.message);
      else request.log.error({ err: error }, "request failed");
    }
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = { code: "not_found", message: `No route ${request.method} ${request.url.slice(0, 200)}` };
    return reply.status(404).send(body);
  });
}
