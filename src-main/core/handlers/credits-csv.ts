import { CallerError, errorFromBody } from "../../../src-shared/errors";
import type { ServerClient } from "../server-client";

/**
 * GET a text reply (a CSV file) with a session's token (a user's or the
 * operator's). The server client speaks JSON only; errors are read and
 * worded the same way it does.
 */
export async function fetchServerText(signed: Signed | null, path: string): Promise<string> {
  return new TextDecoder().decode(await fetchServerFile(signed, path, "text/csv"));
}

type Signed = { client: Pick<ServerClient, "baseUrl">; token: string };

/** The same for any file the server makes (an invoice PDF), as bytes. */
export async function fetchServerFile(signed: Signed | null, path: string, accept: string): Promise<Uint8Array> {
  if (!signed) throw new CallerError("not_signed_in", "Sign in first.");
  let response: Response;
  try {
    response = await fetch(`${signed.client.baseUrl}${path}`, {
      headers: { accept, authorization: `Bearer ${signed.token}` },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CallerError("server_unreachable", `Cannot reach ${signed.client.baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.ok) return bytes;
  const body = readJson(new TextDecoder().decode(bytes));
  throw errorFromBody(body, response.status === 401 ? "unauthenticated" : "internal", `HTTP ${response.status}`);
}

function readJson(text: string): { code?: unknown; message?: unknown } {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? value : {};
  } catch {
    return {};
  }
}
