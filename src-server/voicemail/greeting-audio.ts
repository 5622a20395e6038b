import { encode, type decode } from "node-wav";
import { CallerError } from "../../src-shared/errors";
import { greetingLimits } from "../../src-shared/server-api/voicemail";
import { decodeWavBytes } from "../recordings/wav-audio";

/** What the PBX plays without transcoding on a narrowband trunk. */
export const greetingRate = 8000;

export interface GreetingAudio {
  /** 8 kHz mono 16-bit PCM WAV. */
  wav: Buffer;
  durationMs: number;
}

interface WavFormat {
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  dataBytes: number;
}

const bad = (message: string): CallerError => new CallerError("bad_request", message, { reason: "greeting_unreadable" });

/** The fmt and data chunks of a RIFF/WAVE file, read from the header alone (before any decoding). */
function readWavFormat(bytes: Buffer): WavFormat {
  if (bytes.length < 44 || bytes.toString("latin1", 0, 4) !== "RIFF" || bytes.toString("latin1", 8, 12) !== "WAVE") throw bad("The greeting is not a WAV file (no RIFF/WAVE header)");
  let fmt: Omit<WavFormat, "dataBytes"> | null = null;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = bytes.toString("latin1", at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    if (id === "fmt " && size >= 16 && at + 24 <= bytes.length) {
      let format = bytes.readUInt16LE(at + 8);
      // WAVE_FORMAT_EXTENSIBLE names the real format in its sub-format GUID's first two bytes.
      if (format === 0xfffe && size >= 40 && at + 34 <= bytes.length) format = bytes.readUInt16LE(at + 32);
      fmt = { format, channels: bytes.readUInt16LE(at + 10), sampleRate: bytes.readUInt32LE(at + 12), bitsPerSample: bytes.readUInt16LE(at + 22) };
    }
    if (id === "data") {
      if (fmt === null) throw bad("The greeting's WAV header has no fmt chunk before its audio");
      return { ...fmt, dataBytes: Math.min(size, bytes.length - at - 8) };
    }
    at += 8 + size + (size % 2);
  }
  throw bad("The greeting's WAV file has no audio data");
}

/** Windowed-sinc (Hann) interpolation, low-passed below the lower of the two Nyquist rates. */
function resample(input: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return input;
  const ratio = from / to;
  const cutoff = (0.9 * Math.min(from, to)) / 2 / from;
  const half = Math.ceil(8 * Math.max(1, ratio));
  const out = new Float32Array(Math.floor(input.length / ratio));
  for (let i = 0; i < out.length; i += 1) {
    const centre = i * ratio;
    const first = Math.max(0, Math.ceil(centre - half));
    const last = Math.min(input.length - 1, Math.floor(centre + half));
    let sum = 0;
    let weights = 0;
    for (let j = first; j <= last; j += 1) {
      const x = j - centre;
      const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
      const w = sinc * (0.5 + 0.5 * Math.cos((Math.PI * x) / (half + 1)));
      sum += (input[j] ?? 0) * w;
      weights += w;
    }
    out[i] = weights === 0 ? 0 : sum / weights;
  }
  return out;
}

/**
 * Checks an uploaded greeting and converts it to 8 kHz mono 16-bit PCM:
 * RIFF/WAVE, integer PCM (8/16/24/32-bit) or 32-bit float, 1 or 2 channels,
 * 8–48 kHz, 0.5–60 s. Converted here, in the process, rather than by sox: the
 * server needs no external program, and a file that does not decode is refused
 * with what is wrong before anything is stored.
 */
export function greetingFromWav(bytes: Buffer): GreetingAudio {
  if (bytes.length > greetingLimits.maxBytes) throw bad(`The greeting is larger than ${greetingLimits.maxBytes / (1024 * 1024)} MB`);
  const format = readWavFormat(bytes);
  if (format.format !== 1 && format.format !== 3) throw bad(`The greeting is not PCM audio (WAV format ${format.format}); save it as PCM WAV`);
  if (format.channels < 1 || format.channels > 2) throw bad(`The greeting has ${format.channels} channels; 1 or 2 expected`);
  if (format.sampleRate < 8000 || format.sampleRate > 48000) throw bad(`The greeting's sample rate is ${format.sampleRate} Hz; 8000 to 48000 Hz expected`);
  const bytesPerSecond = (format.sampleRate * format.channels * format.bitsPerSample) / 8;
  if (bytesPerSecond <= 0) throw bad("The greeting's WAV header gives no sample size");
  const headerDurationMs = Math.round((format.dataBytes * 1000) / bytesPerSecond);
  if (headerDurationMs > greetingLimits.maxDurationMs) throw bad(`The greeting is ${Math.round(headerDurationMs / 1000)} s long; at most ${greetingLimits.maxDurationMs / 1000} s`);
  let decoded: ReturnType<typeof decode> | undefined;
  try {
    decoded = decodeWavBytes(bytes);
  } catch (error) {
    throw bad(`The greeting's audio could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const channels = decoded === undefined ? [] : [...decoded.channelData];
  const first = channels[0];
  if (decoded === undefined || first === undefined || first.length === 0) throw bad("The greeting's WAV file has no audio data");
  const mono = channels.length === 1 ? first : first.map((sample, i) => (sample + (channels[1]?.[i] ?? 0)) / 2);
  const samples = resample(mono, decoded.sampleRate, greetingRate);
  const durationMs = Math.round((samples.length * 1000) / greetingRate);
  if (durationMs < greetingLimits.minDurationMs) throw bad(`The greeting is ${durationMs} ms long; at least ${greetingLimits.minDurationMs / 1000} s`);
  if (durationMs > greetingLimits.maxDurationMs) throw bad(`The greeting is ${Math.round(durationMs / 1000)} s long; at most ${greetingLimits.maxDurationMs / 1000} s`);
  return { wav: encode([samples], { sampleRate: greetingRate, bitDepth: 16 }), durationMs };
}
