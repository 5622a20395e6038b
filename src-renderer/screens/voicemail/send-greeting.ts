import { greetingChunkBase64Chars } from "../../../src-shared/api/areas/voicemail";
import type { Greeting } from "../../../src-shared/server-api/voicemail";
import type { CallerApi } from "../../bridge/api";

/** Base64 of bytes, a slice at a time (String.fromCharCode takes a bounded number of arguments). */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

/** The WAV to the core in pieces one transport message holds, then the upload to the server under `name`. */
export async function sendGreeting(api: Pick<CallerApi, "stageGreetingAudio" | "uploadGreeting">, wav: Uint8Array, name: string): Promise<Greeting> {
  const uploadId = crypto.randomUUID();
  const base64 = toBase64(wav);
  for (let at = 0, seq = 0; at < base64.length; at += greetingChunkBase64Chars, seq += 1) {
    await api.stageGreetingAudio({ uploadId, seq, data: base64.slice(at, at + greetingChunkBase64Chars) });
  }
  return api.uploadGreeting({ uploadId, name });
}
