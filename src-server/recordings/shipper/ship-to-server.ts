import { createHash } from "node:crypto";
import { pbxSecretHeader } from "../../pbx/pbx-guard";
import { pbxRecordingWav, type RecordingSource } from "../pbx-recording-files";
import type { SpoolIngest, SpoolResult } from "../recording-ingest-service";
import { shippedRecordingPath, shippedSha256Header, ShippedState, ShippedStored } from "../shipped-recordings";

export interface ShipOptions {
  /** The Caller server (or the balancer in front of several): scheme, host, port. */
  serverUrl: string;
  /** PBX_AUTHORIZE_SECRET, sent as X-Caller-Pbx-Secret. */
  secret: string;
  /** A request that has not finished by then is abandoned (the files stay, and are sent again). */
  timeoutMs?: number;
}

async function failure(response: Response, what: string): Promise<Error> {
  const text = await response.text().catch(() => "");
  let message = text.slice(0, 300);
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? message;
  } catch {
    // not JSON: the text as it came
  }
  return new Error(`${what}: the server answered ${response.status}${message === "" ? "" : `: ${message}`}`);
}

/**
 * The shipper's way of taking one call's files where recordings go: ask the server whether it
 * wants them (a live call's files are not read or sent), then send the one WAV they make in one
 * PUT. Whole or nothing: a send cut off by a crash or a timeout leaves nothing on the server, the
 * files stay in the spool, and the next try sends them again; a repeat after the server stored
 * them answers `exists`. So each recording is ingested once, whatever dies when.
 */
export function shipToServer(options: ShipOptions): SpoolIngest {
  const base = options.serverUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 120_000;
  const headers = { [pbxSecretHeader]: options.secret };

  return async (source: RecordingSource): Promise<SpoolResult> => {
    const url = `${base}${shippedRecordingPath.replace(":uniqueid", encodeURIComponent(source.uniqueid))}`;
    const asked = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    if (!asked.ok) throw await failure(asked, `asking for ${source.uniqueid}`);
    const { state } = ShippedState.parse(await asked.json());
    if (state === "no_call" || state === "not_ended") return { status: state };
    if (state === "exists") return { status: "exists", recordingId: null, durationMs: null };

    const bytes = await pbxRecordingWav(source);
    const sent = await fetch(url, {
      method: "PUT",
      headers: { ...headers, "content-type": "audio/wav", [shippedSha256Header]: createHash("sha256").update(bytes).digest("hex") },
      body: bytes,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (sent.status === 409) return { status: "not_ended" };
    if (sent.status === 404) return { status: "no_call" };
    if (!sent.ok) throw await failure(sent, `sending ${source.uniqueid}`);
    const stored = ShippedStored.parse(await sent.json());
    return { status: stored.status, recordingId: Number(stored.recordingId), durationMs: stored.durationMs };
  };
}
