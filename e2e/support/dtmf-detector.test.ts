import { describe, expect, it } from "vitest";
import { createKeyDebouncer, detectKey } from "./dtmf-detector";

const rate = 48_000;
const block = (freqs: number[], amplitude: number, offset = 0, n = 1024) =>
  Float32Array.from({ length: n }, (_, i) => freqs.reduce((sum, f) => sum + amplitude * Math.sin((2 * Math.PI * f * (i + offset)) / rate), 0));

describe("inband DTMF detection", () => {
  it.each([
    ["1", 697, 1209],
    ["5", 770, 1336],
    ["9", 852, 1477],
    ["#", 941, 1477],
    ["0", 941, 1336],
    ["*", 941, 1209],
  ])("hears %s", (key, row, col) => {
    expect(detectKey(block([row, col], 0.2), rate)).toBe(key);
  });

  it("hears nothing in silence, a single tone or a 1 kHz beep", () => {
    expect(detectKey(new Float32Array(1024), rate)).toBeNull();
    expect(detectKey(block([941], 0.3), rate)).toBeNull();
    expect(detectKey(block([1000], 0.5), rate)).toBeNull();
  });

  it("counts a held key once and a repeated key twice", () => {
    const keys: string[] = [];
    const feed = createKeyDebouncer((k) => keys.push(k));
    for (const d of ["5", "5", "5", "5", null, "5", "5", null, "9", null, "9", "9"]) feed(d);
    expect(keys.join("")).toBe("559");
  });
});
