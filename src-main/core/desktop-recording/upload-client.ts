import type { z } from "zod";
import { CallerError, errorFromBody } from "../../../src-shared/errors";
import {
  recordingPaths,
  UploadChecksumMismatch,
  UploadChunkReply,
  UploadCompleted,
  UploadConflict,
  UploadCreateReply,
  type UploadCreateBody,
} from "../../../src-shared/server-api/recordings";

/** Where to send and as whom (the core's session: the token never leaves the core). */
export interface UploadAuth {
  baseUrl: string;
  token: string;
}

/**
 * How a request ended, as the queue decides on it: a reply it expected, a 409 with the
 * server's offset, a refusal with its code and HTTP status, or no answer at all.
 */
export type UploadReply<T> =
  | { kind: "ok"; value: T }
  | { kind: "conflict"; conflict: UploadConflict }
  /** The server hashed other bytes than declared and started the upload over at 0. */
  | { kind: "checksum_mismatch"; message: string }
  /** The server's refusal whole (code, message, reason and params), so the app words it in its own language. */
  | { kind: "refused"; status: number; error: CallerError }
  | { kind: "unreachable"; message: string };

const requestTimeoutMs = 30_000;

async function send<T>(auth: UploadAuth, schema: z.ZodType<T>, method: "POST" | "PUT", path: string, body: { json: unknown } | { bytes: Buffer } | null, signal: AbortSignal): Promise<UploadReply<T>> {
  const headers: Record<string, string> = { accept: "application/json", authorization: `Bearer ${auth.token}` };
  let payload: string | Uint8Array<ArrayBuffer> | null = null;
  if (body !== null && "json" in body) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body.json);
  } else if (body !== null) {
    headers["content-type"] = "application/octet-stream";
    // A copy typed as fetch's BodyInit under both the Node and the DOM typings (256 KiB at most).
    payload = new Uint8Array(body.bytes);
  }
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${auth.baseUrl}${path}`, { method, headers, body: payload, signal: AbortSignal.any([signal, AbortSignal.timeout(requestTimeoutMs)]) });
    text = await response.text();
  } catch (error) {
    return { kind: "unreachable", message: error instanceof Error ? error.message : String(error) };
  }
  let json: unknown = null;
  try {
    json = text === "" ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  if (response.ok) {
    const parsed = schema.safeParse(json);
    return parsed.success ? { kind: "ok", value: parsed.data } : { kind: "refused", status: response.status, error: new CallerError("internal", `Unexpected reply from ${method} ${path}`) };
  }
  if (response.status === 409) {
    const conflict = UploadConflict.safeParse(json);
    if (conflict.success) return { kind: "conflict", conflict: conflict.data };
  }
  if (response.status === 400) {
    const mismatch = UploadChecksumMismatch.safeParse(json);
    if (mismatch.success) return { kind: "checksum_mismatch", message: mismatch.data.message };
  }
  return { kind: "refused", status: response.status, error: errorFromBody(json, response.status === 401 ? "unauthenticated" : "internal", `HTTP ${response.status}`) };
}

/** The server's upload protocol (src-shared/server-api/recordings.ts), one call per step. */
export const uploadClient = {
  start: (auth: UploadAuth, body: UploadCreateBody, signal: AbortSignal) => send(auth, UploadCreateReply, "POST", recordingPaths.uploads, { json: body }, signal),
  chunk: (auth: UploadAuth, uploadId: string, offset: number, bytes: Buffer, signal: AbortSignal) =>
    send(auth, UploadChunkReply, "PUT", `${recordingPaths.uploadChunk.replace(":id", encodeURIComponent(uploadId))}?offset=${offset}`, { bytes }, signal),
  complete: (auth: UploadAuth, uploadId: string, signal: AbortSignal) =>
    send(auth, UploadCompleted, "POST", recordingPaths.uploadComplete.replace(":id", encodeURIComponent(uploadId)), null, signal),
};
