import { CallerError, errorFromBody } from "../../../src-shared/errors";
import type { SessionService } from "../session-service";

/** A recording is at most a few tens of MB (10 min of 2 × 8 kHz × 16 bit ≈ 19 MB): fetched whole, within a minute. */
const audioTimeoutMs = 60_000;

/** GET of a WAV as the signed-in user; errors as the JSON client reports them. */
export async function fetchServerAudio(session: SessionService, path: string): Promise<{ bytes: Buffer; fileName: string | null }> {
  const current = session.signedIn;
  if (!current) throw new CallerError("not_signed_in", "Sign in first.");
  let response: Response;
  try {
    response = await fetch(`${current.client.baseUrl}${path}`, { headers: { authorization: `Bearer ${current.token}` }, signal: AbortSignal.timeout(audioTimeoutMs) });
  } catch (error) {
    throw new CallerError("server_unreachable", `Cannot reach ${current.client.baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) {
    throw errorFromBody(await response.json().catch(() => ({})), "internal", `HTTP ${response.status}`);
  }
  const disposition = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "");
  let bytes: Buffer;
  try {
    bytes = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    // The server went away mid-body.
    throw new CallerError("server_unreachable", `Cannot reach ${current.client.baseUrl}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { bytes, fileName: disposition?.[1] ?? null };
}
