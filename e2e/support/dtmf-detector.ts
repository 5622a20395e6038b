/**
 * Inband DTMF detection (Goertzel) for the far end's received audio: when the
 * PBX's trunk leg has no telephone-event it plays the keys as tones, and a
 * browser cannot see RFC 4733 events at all, so the far end listens.
 */
const rows = [697, 770, 852, 941];
const cols = [1209, 1336, 1477, 1633];
const keys = ["123A", "456B", "789C", "*0#D"];

/** Amplitude of `frequency` in the block (a pure tone of amplitude a reads as about a). */
export function goertzel(samples: ArrayLike<number>, sampleRate: number, frequency: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const s0 = (samples[i] ?? 0) + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / samples.length;
}

/** The key whose two tones dominate the block, or null. */
export function detectKey(samples: ArrayLike<number>, sampleRate: number, minAmplitude = 0.01): string | null {
  const strongest = (freqs: number[]) => {
    const levels = freqs.map((f) => goertzel(samples, sampleRate, f));
    const sorted = [...levels].sort((a, b) => b - a);
    const best = levels.indexOf(sorted[0] ?? 0);
    return { index: best, level: sorted[0] ?? 0, runnerUp: sorted[1] ?? 0 };
  };
  const row = strongest(rows);
  const col = strongest(cols);
  if (row.level < minAmplitude || col.level < minAmplitude) return null;
  if (row.level < 3 * row.runnerUp || col.level < 3 * col.runnerUp) return null;
  // Twist: the two tones of a key are within about 8 dB of each other.
  if (row.level > 2.5 * col.level || col.level > 2.5 * row.level) return null;
  return keys[row.index]?.[col.index] ?? null;
}

/** Turns per-block detections into key presses: a key counts once, after two blocks in a row, until a block without it. */
export function createKeyDebouncer(onKey: (key: string) => void): (detected: string | null) => void {
  let candidate: string | null = null;
  let held: string | null = null;
  return (detected) => {
    if (detected === null) {
      candidate = null;
      held = null;
      return;
    }
    if (detected === held) return;
    if (detected === candidate) {
      held = detected;
      candidate = null;
      onKey(detected);
      return;
    }
    candidate = detected;
  };
}
