import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bytesToBase64, chunkFrames, floatToInt16, PcmChunker } from "./desktop-recorder-pcm";

const frames = (buffer: ArrayBuffer): number[] => [...new Int16Array(buffer)];

describe("float to int16", () => {
  it("maps full scale to the int16 ends and clamps what is beyond", () => {
    expect([floatToInt16(0), floatToInt16(1), floatToInt16(-1), floatToInt16(1.7), floatToInt16(-3), floatToInt16(Number.NaN)]).toEqual([0, 32767, -32768, 32767, -32768, -32768]);
    expect(floatToInt16(0.5)).toBe(16384);
    expect(floatToInt16(-0.5)).toBe(-16384);
  });

  it("always lands in the int16 range, and a louder sample never maps lower", () => {
    fc.assert(
      fc.property(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const [x, y] = [floatToInt16(lo), floatToInt16(hi)];
        return Number.isInteger(x) && x >= -32768 && y <= 32767 && x <= y;
      }),
    );
  });
});

describe("chunking", () => {
  it("makes 250 ms chunks: 4000 frames at 16 kHz, 12000 at 48 kHz", () => {
    expect(chunkFrames(16_000)).toBe(4000);
    expect(chunkFrames(48_000)).toBe(12_000);
  });

  it("interleaves left (the user) and right (the other party) frame by frame", () => {
    const chunker = new PcmChunker(3);
    const [chunk] = chunker.push(new Float32Array([0.5, 0, -0.5]), new Float32Array([-1, 1, 0]), 3, false);
    expect(frames(chunk!)).toEqual([16384, -32768, 0, 32767, -16384, 0]);
  });

  it("writes a missing side as silence and a paused stretch as silence on both sides", () => {
    const chunker = new PcmChunker(2);
    const [oneSided] = chunker.push(undefined, new Float32Array([1, 1]), 2, false);
    expect(frames(oneSided!)).toEqual([0, 32767, 0, 32767]);
    const [paused] = chunker.push(new Float32Array([1, 1]), new Float32Array([1, 1]), 2, true);
    expect(frames(paused!)).toEqual([0, 0, 0, 0]);
  });

  it("splits 128-frame quanta into exact chunks and keeps every frame once, the rest in the flush", () => {
    const chunker = new PcmChunker(300);
    const chunks: ArrayBuffer[] = [];
    let n = 0;
    for (let q = 0; q < 10; q++) {
      const left = Float32Array.from({ length: 128 }, () => (n++ % 100) / 1000);
      chunks.push(...chunker.push(left, left, 128, false));
    }
    expect(chunks.map((c) => c.byteLength)).toEqual([1200, 1200, 1200, 1200]);
    const rest = chunker.flush();
    expect(rest?.byteLength).toBe((1280 - 1200) * 4);
    const all = [...chunks, rest!].flatMap(frames).filter((_, i) => i % 2 === 0);
    expect(all).toHaveLength(1280);
    expect(all.map((v, i) => v === floatToInt16((i % 100) / 1000)).every(Boolean)).toBe(true);
    expect(chunker.flush()).toBeNull();
  });

  it("hands out each chunk's buffer once: a later push does not change an earlier chunk", () => {
    const chunker = new PcmChunker(1);
    const [first] = chunker.push(new Float32Array([1]), new Float32Array([1]), 1, false);
    chunker.push(new Float32Array([-1]), new Float32Array([-1]), 1, false);
    expect(frames(first!)).toEqual([32767, 32767]);
  });
});

describe("base64", () => {
  it("encodes large chunks the way btoa does for small ones", () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 255);
    const decoded = Uint8Array.from(atob(bytesToBase64(bytes)), (c) => c.charCodeAt(0));
    expect(decoded).toEqual(bytes);
    expect(bytesToBase64(new Uint8Array([1, 2, 3]))).toBe(btoa("\u0001\u0002\u0003"));
  });
});
