import { CallerError, isErrorCode } from "../../../src-shared/errors";
import type { SessionService } from "../session-service";

/**
 * GET a text reply (the ledger CSV) as the signed-in user. The server client
 * speaks JSON only; errors are read and worded the same way it does.
 */
export async function fetchServerText(session: SessionService, path: string): Promise<string> {
  const signed = session.signedIn;
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
