import { decode, encode } from "node-wav";
import { describe, expect, it } from "vitest";
import { greetingFromWav } from "./greeting-audio";

const tone = (hz: number, rate: number, seconds: number): Float32Array => Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate));
const rms = (samples: Float32Array): number => Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / samples.length);
/** Zero crossings per second / 2: the frequency of a pure tone. */
const frequency = (samples: Float32Array, rate: number): number => {
  let crossings = 0;
  for (let i = 1; i < samples.length; i += 1) if ((samples[i - 1]! < 0) !== (samples[i]! < 0)) crossings += 1;
  return (crossings * rate) / samples.length / 2;
};

describe("a greeting's audio", () => {
  it("44.1 kHz stereo becomes 8 kHz mono: a 1 kHz tone keeps its pitch and level, a 6 kHz one (above 4 kHz) is filtered out", () => {
    const low = decode(greetingFromWav(encode([tone(1000, 44_100, 1), tone(1000, 44_100, 1)], { sampleRate: 44_100, bitDepth: 16 })).wav);
    expect(low.sampleRate).toBe(8000);
    expect(low.channelData).toHaveLength(1);
    expect(frequency(low.channelData[0]!, 8000)).toBeCloseTo(1000, -1);
    expect(rms(low.channelData[0]!.subarray(100, -100))).toBeCloseTo(0.5 / Math.SQRT2, 1);
    const high = decode(greetingFromWav(encode([tone(6000, 44_100, 1)], { sampleRate: 44_100, bitDepth: 16 })).wav);
    expect(rms(high.channelData[0]!.subarray(100, -100))).toBeLessThan(0.02);
  });

  it("a file that starts deep inside a larger buffer (as a small body from Node's shared pool does) decodes like any other", () => {
    const file = encode([tone(440, 8000, 0.6)], { sampleRate: 8000, bitDepth: 16 });
    const backing = Buffer.alloc(file.length * 3);
    file.copy(backing, file.length * 2);
    const inside = backing.subarray(file.length * 2);
    expect(inside.byteOffset).toBeGreaterThan(inside.length);
    expect(greetingFromWav(inside).durationMs).toBe(600);
  });

  it("8-bit and 32-bit float PCM are taken; a WAV whose data claims more than 60 s is refused from its header", () => {
    expect(greetingFromWav(encode([tone(440, 16_000, 1)], { sampleRate: 16_000, bitDepth: 8 })).durationMs).toBe(1000);
    expect(greetingFromWav(encode([tone(440, 16_000, 1)], { sampleRate: 16_000, bitDepth: 32, float: true })).durationMs).toBe(1000);
    const file = Buffer.from(encode([tone(440, 8000, 1)], { sampleRate: 8000, bitDepth: 16 }));
    file.writeUInt32LE(8000 * 2 * 61, 40);
    expect(() => greetingFromWav(file)).toThrow(/at most 60 s/);
  });
});
