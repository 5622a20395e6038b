import type { RecordingPeaks } from "../../src-shared/server-api/recordings";

export const peaksPerChannel = 1000;

const rounded = (value: number): number => Math.round(value * 1000) / 1000;

/**
 * Min/max of each of `buckets` equal slices of every channel (fewer when there
 * are fewer samples), rounded to 3 places. Each pair includes 0: the player
 * draws bars from the centre line.
 */
export function computePeaks(channels: readonly Float32Array[], buckets = peaksPerChannel): RecordingPeaks {
  return channels.map((samples) => {
    const count = Math.min(buckets, samples.length);
    const pairs: [number, number][] = [];
    for (let bucket = 0; bucket < count; bucket += 1) {
      const start = Math.floor((bucket * samples.length) / count);
      const end = Math.floor(((bucket + 1) * samples.length) / count);
      let min = 0;
      let max = 0;
      for (let i = start; i < end; i += 1) {
        const sample = samples[i] ?? 0;
        if (sample < min) min = sample;
        if (sample > max) max = sample;
      }
      pairs.push([rounded(Math.max(-1, min)), rounded(Math.min(1, max))]);
    }
    return pairs;
  });
}
