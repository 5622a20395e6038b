import { decode, encode } from "node-wav";
import { CallerError } from "../../src-shared/errors";

/** Decoded PCM, one Float32Array per channel, all the same length. */
export interface PcmAudio {
  sampleRate: number;
  channels: Float32Array[];
}

const rates = new Set([8000, 16000, 24000, 32000, 44100, 48000]);

/**
 * node-wav's decode. It reads up to the Buffer's length counted from its
 * ArrayBuffer's start, so a Buffer that starts inside a larger one (a small
 * file or body from Node's shared pool) decodes as empty: such a Buffer is
 * copied into one of its own first.
 */
export function decodeWavBytes(bytes: Buffer): ReturnType<typeof decode> | undefined {
  if (bytes.byteOffset === 0) return decode(bytes);
  const own = Buffer.alloc(bytes.length);
  bytes.copy(own);
  return decode(own);
}

/** A recording the server cannot take: the app says so in its words, the message says what exactly. */
const unreadable = { reason: "recording_unreadable" } as const;

/** Decodes and checks a WAV file as MixMonitor writes it; anything else is refused with what is wrong. */
export function decodeWav(bytes: Buffer, name: string): PcmAudio {
  let decoded: ReturnType<typeof decode> | undefined;
  try {
    decoded = decodeWavBytes(bytes);
  } catch (error) {
    throw new CallerError("bad_request", `Recording ${name} is not a readable WAV file: ${error instanceof Error ? error.message : String(error)}`, unreadable);
  }
  // node-wav returns nothing for a RIFF/WAVE header with no fmt or data chunk.
  if (decoded === undefined) throw new CallerError("bad_request", `Recording ${name} is not a readable WAV file: no audio data`, unreadable);
  const channels = [...decoded.channelData];
  if (channels.length < 1 || channels.length > 2) throw new CallerError("bad_request", `Recording ${name} has ${channels.length} channels; 1 or 2 expected`, unreadable);
  if (!rates.has(decoded.sampleRate)) throw new CallerError("bad_request", `Recording ${name} has a sample rate of ${decoded.sampleRate} Hz`, unreadable);
  const first = channels[0];
  if (first === undefined || channels.some((c) => c.length !== first.length)) throw new CallerError("bad_request", `Recording ${name} has channels of different lengths`, unreadable);
  return { sampleRate: decoded.sampleRate, channels };
}

function padded(samples: Float32Array, length: number): Float32Array {
  if (samples.length === length) return samples;
  const out = new Float32Array(length);
  out.set(samples.subarray(0, length));
  return out;
}

/**
 * The user on channel 0, the other party on channel 1: MixMonitor's r() file
 * (what the user's channel received from the phone) and t() file (what it sent
 * to the phone). The shorter one is padded with silence at its end.
 */
export function twoChannel(user: PcmAudio, other: PcmAudio): PcmAudio {
  if (user.sampleRate !== other.sampleRate) throw new CallerError("bad_request", `The two sides were recorded at ${user.sampleRate} and ${other.sampleRate} Hz`, unreadable);
  const [userSide, otherSide] = [user.channels[0], other.channels[0]];
  if (userSide === undefined || otherSide === undefined) throw new CallerError("bad_request", "A side of the recording has no audio", unreadable);
  const length = Math.max(userSide.length, otherSide.length);
  return { sampleRate: user.sampleRate, channels: [padded(userSide, length), padded(otherSide, length)] };
}

export function encodeWav16(audio: PcmAudio): Buffer {
  return encode(audio.channels, { sampleRate: audio.sampleRate, bitDepth: 16 });
}

export function durationMs(audio: PcmAudio): number {
  return Math.round(((audio.channels[0]?.length ?? 0) * 1000) / audio.sampleRate);
}

/** A desktop recording as the app writes it: two channels (the user, the other party), an allowed rate, and some audio. */
export function decodeTwoChannelWav(bytes: Buffer, name: string): PcmAudio {
  const audio = decodeWav(bytes, name);
  if (audio.channels.length !== 2) throw new CallerError("bad_request", `Recording ${name} has ${audio.channels.length} channel(s); a desktop recording has 2`, unreadable);
  if ((audio.channels[0]?.length ?? 0) === 0) throw new CallerError("bad_request", `Recording ${name} has no audio`, unreadable);
  return audio;
}
