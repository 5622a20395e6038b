import { CallerError, isErrorCode } from "../../../src-shared/errors";
import type { ServerClient } from "../server-client";

/**
 * GET a text reply (a CSV file) with a session's token (a user's or the
 * operator's). The server client speaks JSON only; errors are read and
 * worded the same way it does.
 */
export async function fetchServerText(signed: { client: Pick<ServerClient, "baseUrl">; token: string } | null, path: string): Promise<string> {
  if (!signed) throw new CallerError("not_signed_in", "Sign in first.");
  let response: Response;
  try {
    response = await fetch(`${signed.client.baseUrl}${path}`, {
      headers: { accept: "text/csv", authorization: `Bearer ${signed.token}` },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CallerError("server_unreachable", `Cannot reach ${signed.client.baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const text = await response.text();
  if (response.ok) return text;
  const body = readJson(text);
  const code = isErrorCode(body.code) ? body.code : response.status === 401 ? "unauthenticated" : "internal";
  throw new CallerError(code, typeof body.message === "string" ? body.message : `HTTP ${response.status}`);
}

function readJson(text: string): { code?: unknown; message?: unknown } {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? value : {};
  } catch {
    return {};
  }
}
