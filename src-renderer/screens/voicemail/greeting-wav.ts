import { greetingLimits } from "../../../src-shared/server-api/voicemail";
import { encodeWav16 } from "../../phone/wav16";

/** What the PBX plays on a narrowband trunk; converting here keeps a minute under one upload's limits. */
export const greetingSampleRate = 8000;

export type GreetingAudioProblem = "not_audio" | "too_long" | "too_short" | "too_large";

/** A file or recording that cannot be a greeting, with what the user can do about it in the UI's words. */
export class GreetingAudioError extends Error {
  override readonly name = "GreetingAudioError";
  constructor(
    readonly problem: GreetingAudioProblem,
    readonly durationMs: number | null = null,
  ) {
    super(problem);
  }
}

export interface GreetingWav {
  wav: Uint8Array;
  durationMs: number;
}


/** Mono by averaging the channels, as the server would. */
export function mixDown(channels: readonly Float32Array[]): Float32Array {
  const first = channels[0];
  if (first === undefined) return new Float32Array(0);
  if (channels.length === 1) return first;
  const out = new Float32Array(first.length);
  for (const channel of channels) for (let i = 0; i < out.length; i += 1) out[i]! += (channel[i] ?? 0) / channels.length;
  return out;
}

/** Refuses what the server would refuse, before anything is sent. */
export function checkGreetingLength(durationMs: number): void {
  if (durationMs > greetingLimits.maxDurationMs) throw new GreetingAudioError("too_long", durationMs);
  if (durationMs < greetingLimits.minDurationMs) throw new GreetingAudioError("too_short", durationMs);
}

/**
 * Any audio the browser decodes (WAV, MP3, the recorder's WebM/Opus) as an
 * 8 kHz mono 16-bit WAV: decoding in an 8 kHz context resamples it.
 */
export async function toGreetingWav(encoded: ArrayBuffer): Promise<GreetingWav> {
  if (encoded.byteLength > greetingLimits.maxBytes * 4) throw new GreetingAudioError("too_large");
  const context = new OfflineAudioContext(1, 1, greetingSampleRate);
  let buffer: AudioBuffer;
  try {
    buffer = await context.decodeAudioData(encoded);
  } catch {
    throw new GreetingAudioError("not_audio");
  }
  const durationMs = Math.round(buffer.duration * 1000);
  checkGreetingLength(durationMs);
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, i) => buffer.getChannelData(i));
  return { wav: encodeWav16(mixDown(channels), buffer.sampleRate), durationMs };
}
