import { readReason, type ErrorReason, type ParamValue, type ReasonDetails } from "./error-reasons";

/**
 * Errors that cross a boundary (server → app, core → renderer) carry a stable
 * code the UI translates (`errors.<code>` in the locale files), and where the
 * server knows why, a reason with params (`reasons.<reason>`, error-reasons.ts).
 */
export const errorCodes = [
  "bad_request",
  "unauthenticated",
  "forbidden",
  "not_found",
  "conflict",
  // A voicemail greeting longer than what is left of the call's authorized time: the call goes on.
  "greeting_too_long",
  // A transfer's destination the call's authorization would refuse (blocked, invalid, no credit): the call goes on.
  "transfer_refused",
  "rate_limited",
  // Too many failed sign-ins for the account or from the address: wait `retryAfterSeconds`.
  "sign_in_throttled",
  "invalid_credentials",
  "invalid_number",
  "server_unreachable",
  "not_signed_in",
  "ami_login_failed",
  "ami_not_connected",
  "ami_connection_lost",
  "ami_timeout",
  "ami_action_failed",
  "os_refused",
  "internal",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** What a refusal may add to its code and English message. */
export type ErrorDetails = { retryAfterSeconds?: number | undefined } & (ReasonDetails | { reason?: undefined; params?: undefined });

export class CallerError extends Error {
  override readonly name = "CallerError";
  /** How long to wait before trying again, where the refusal says (sign_in_throttled). */
  readonly retryAfterSeconds: number | undefined;
  /** Why, for the user's words; the English `message` stays for logs and API users. */
  readonly reason: ErrorReason | undefined;
  readonly params: Readonly<Record<string, ParamValue>> | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(message);
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.reason = details.reason;
    this.params = details.reason === undefined ? undefined : (details.params ?? {});
  }
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  retryAfterSeconds?: number;
  reason?: ErrorReason;
  params?: Record<string, ParamValue>;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (errorCodes as readonly string[]).includes(value);
}

export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof CallerError) return callerErrorBody(error);
  return { code: "internal", message: error instanceof Error ? error.message : String(error) };
}

/** A CallerError as it crosses a boundary: only the fields it has (absent, not undefined: bodies are compared and serialized). */
export function callerErrorBody(error: CallerError): ErrorBody {
  const body = withRetry({ code: error.code, message: error.message }, error.retryAfterSeconds);
  return error.reason === undefined ? body : { ...body, reason: error.reason, params: { ...error.params } };
}

/**
 * The CallerError a failed reply's body stands for (server → core, core → renderer):
 * an unknown code is `fallback`, a reason this side does not know is dropped.
 */
export function errorFromBody(body: unknown, fallback: ErrorCode, fallbackMessage: string, retryAfterSeconds?: number): CallerError {
  const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const code = isErrorCode(fields.code) ? fields.code : fallback;
  const message = typeof fields.message === "string" ? fields.message : fallbackMessage;
  const retry = readRetryAfter(fields.retryAfterSeconds) ?? retryAfterSeconds;
  const reason = readReason(fields.reason, fields.params);
  return new CallerError(code, message, { retryAfterSeconds: retry, ...(reason as ReasonDetails | undefined) });
}

/** The body with its wait, when there is one (an absent field, not undefined: bodies are compared and serialized). */
export function withRetry(body: ErrorBody, retryAfterSeconds: number | undefined): ErrorBody {
  return retryAfterSeconds === undefined ? body : { ...body, retryAfterSeconds };
}

/** A positive whole number of seconds from a reply body's field, else undefined. */
export function readRetryAfter(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** A refusal kept as text (a local store's column): its body as JSON, so the app can still word it in any language later. */
export function errorToText(error: CallerError): string {
  return JSON.stringify(callerErrorBody(error));
}

/** The refusal errorToText kept, or null for text kept before (a plain message, shown as it is). */
export function errorFromText(text: string): CallerError | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  return typeof body === "object" && body !== null && isErrorCode((body as { code?: unknown }).code) ? errorFromBody(body, "internal", text) : null;
}
