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
  const bytes = new Uint8Array(44 + samples * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (offset: number, text: string) => [...text].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, "data");
  view.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i++) {
    const ms = (i / sampleRate) * 1000;
    const on = isOn(spec.cadenceMs, ms);
    const value = on ? spec.frequencies.reduce((sum, f) => sum + Math.sin((2 * Math.PI * f * i) / sampleRate), 0) / spec.frequencies.length : 0;
    view.setInt16(44 + i * 2, Math.round(value * spec.amplitude * 32767), true);
  }
  return bytes;
}

function isOn(cadence: readonly number[], ms: number): boolean {
  let elapsed = 0;
  for (let i = 0; i < cadence.length; i++) {
    elapsed += cadence[i] ?? 0;
    if (ms < elapsed) return i % 2 === 0;
  }
  return false;
}
