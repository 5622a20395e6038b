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
  "rate_limited",
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
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (errorCodes as readonly string[]).includes(value);
}

export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof CallerError) return { code: error.code, message: error.message };
  return { code: "internal", message: error instanceof Error ? error.message : String(error) };
}
