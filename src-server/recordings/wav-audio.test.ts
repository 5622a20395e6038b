import { encode } from "node-wav";
import { describe, expect, it } from "vitest";
import { decodeWav } from "./wav-audio";

function tone(hz: number, rate: number, seconds: number): Float32Array {
  return Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate));
}

describe("decodeWav", () => {
  it("a recording that starts deep inside a larger buffer (a small file read into Node's shared pool) decodes like any other", () => {
    const file = encode([tone(440, 8000, 0.25), tone(880, 8000, 0.25)], { sampleRate: 8000, bitDepth: 16 });
    const backing = Buffer.alloc(file.length * 3);
    file.copy(backing, file.length * 2);
    const inside = backing.subarray(file.length * 2);
    expect(inside.byteOffset).toBeGreaterThan(inside.length);
    const audio = decodeWav(inside, "inside");
    expect(audio.sampleRate).toBe(8000);
    expect(audio.channels.map((c) => c.length)).toEqual([2000, 2000]);
    expect(Math.max(...audio.channels[1]!)).toBeGreaterThan(0.45);
  });

  it("refuses what is not WAV with the recording's name in the words", () => {
    expect(() => decodeWav(Buffer.from("not a wav file at all"), "call-7")).toThrow(/call-7/);
  });
});
