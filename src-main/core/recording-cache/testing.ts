import { randomBytes } from "node:crypto";
import type { RecordingMeta } from "../../../src-shared/server-api/recordings";
import { sha256Hex } from "./cache-files";

/** A recording as the server describes it, with bytes that hash to its sha256 (tests only). */
export function fakeRecording(id: string, sizeBytes: number, overrides: Partial<RecordingMeta> = {}): { meta: RecordingMeta; bytes: Buffer } {
  const bytes = randomBytes(sizeBytes);
  return {
    bytes,
    meta: {
      id,
      callId: `10${id}`,
      durationMs: 1000,
      canDownload: false,
      channels: 2,
      sampleRate: 8000,
      sizeBytes,
      sha256: sha256Hex(bytes),
      createdAt: 1_700_000_000_000,
      peaks: [[[-0.5, 0.5]], [[0, 0.25]]],
      pauses: [{ action: "pause", at: 1_700_000_000_500 }],
      ...overrides,
    },
  };
}
