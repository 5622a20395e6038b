import { encodeWav16 } from "./wav16";

/** A tone as on/off cadence over a sum of sine frequencies. */
export interface ToneSpec {
  frequencies: readonly number[];
  /** Alternating on/off durations in ms, starting with on; the file is one cycle. */
  cadenceMs: readonly number[];
  amplitude: number;
}

/** Ringback heard while the far end rings (North American 440 + 480 Hz, 2 s on, 4 s off). */
export const ringbackTone: ToneSpec = { frequencies: [440, 480], cadenceMs: [2000, 4000], amplitude: 0.2 };
/** The ringer: two short bursts, then a pause. */
export const ringerTone: ToneSpec = { frequencies: [880, 1100], cadenceMs: [400, 200, 400, 2000], amplitude: 0.35 };

const sampleRate = 8000;

/** One cycle of the tone as a 16-bit mono PCM WAV file, to loop in an <audio> element. */
export function toneWav(spec: ToneSpec): Uint8Array<ArrayBuffer> {
  const totalMs = spec.cadenceMs.reduce((sum, ms) => sum + ms, 0);
  const samples = Math.round((totalMs / 1000) * sampleRate);
  const pcm = new Float32Array(samples);
  for (let i = 0; i < samples; i++) {
    const ms = (i / sampleRate) * 1000;
    const on = isOn(spec.cadenceMs, ms);
    pcm[i] = on ? (spec.frequencies.reduce((sum, f) => sum + Math.sin((2 * Math.PI * f * i) / sampleRate), 0) / spec.frequencies.length) * spec.amplitude : 0;
  }
  return encodeWav16(pcm, sampleRate);
}

function isOn(cadence: readonly number[], ms: number): boolean {
  let elapsed = 0;
  for (let i = 0; i < cadence.length; i++) {
    elapsed += cadence[i] ?? 0;
    if (ms < elapsed) return i % 2 === 0;
  }
  return false;
}

/** A tone as a URL an <audio> element can loop. */
export function toneUrl(spec: ToneSpec): string {
  return URL.createObjectURL(new Blob([toneWav(spec)], { type: "audio/wav" }));
}
