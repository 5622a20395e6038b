/**
 * Errors that cross a boundary (server → app, core → renderer) carry a stable
 * code the UI translates (`errors.<code>` in the locale files).
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

export class CallerError extends Error {
  override readonly name = "CallerError";
  /** How long to wait before trying again, where the refusal says (sign_in_throttled). */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string,
    details: { retryAfterSeconds?: number | undefined } = {},
  ) {
    super(message);
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  retryAfterSeconds?: number;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (errorCodes as readonly string[]).includes(value);
}

export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof CallerError) return withRetry({ code: error.code, message: error.message }, error.retryAfterSeconds);
  return { code: "internal", message: error instanceof Error ? error.message : String(error) };
}

/** The body with its wait, when there is one (an absent field, not undefined: bodies are compared and serialized). */
export function withRetry(body: ErrorBody, retryAfterSeconds: number | undefined): ErrorBody {
  return retryAfterSeconds === undefined ? body : { ...body, retryAfterSeconds };
}

/** A positive whole number of seconds from a reply body's field, else undefined. */
export function readRetryAfter(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}
