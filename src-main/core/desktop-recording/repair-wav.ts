import { open } from "node:fs/promises";
import { parseWavHeader, sizeFields, wavHeaderBytes } from "./wav-header";

export interface RepairedWav {
  sampleRate: number;
  frames: number;
  sizeBytes: number;
}

/**
 * Makes a WAV left by a crash valid: the RIFF and data sizes set from the file's
 * length, a torn last frame cut off, fsynced. Everything written before the crash
 * stays. Null when there is no usable header (nothing was recorded). Idempotent.
 */
export async function repairWav(path: string): Promise<RepairedWav | null> {
  let file;
  try {
    file = await open(path, "r+");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  try {
    const { size } = await file.stat();
    const header = Buffer.alloc(wavHeaderBytes);
    const { bytesRead } = await file.read(header, 0, wavHeaderBytes, 0);
    const parsed = bytesRead === wavHeaderBytes ? parseWavHeader(header) : null;
    if (parsed === null) return null;
    const dataBytes = Math.floor((size - wavHeaderBytes) / parsed.blockAlign) * parsed.blockAlign;
    if (size !== wavHeaderBytes + dataBytes) await file.truncate(wavHeaderBytes + dataBytes);
    for (const [offset, bytes] of sizeFields(dataBytes)) await file.write(bytes, 0, 4, offset);
    await file.sync();
    return { sampleRate: parsed.sampleRate, frames: dataBytes / parsed.blockAlign, sizeBytes: wavHeaderBytes + dataBytes };
  } finally {
    await file.close();
  }
}
