import { describe, expect, it } from "vitest";
import { ringbackTone, toneWav } from "./tones";

describe("toneWav", () => {
  it("writes one cadence cycle as a valid 8 kHz 16-bit mono WAV", () => {
    const wav = toneWav(ringbackTone);
    const view = new DataView(wav.buffer);
    const text = (offset: number) => String.fromCharCode(...wav.slice(offset, offset + 4));
    expect([text(0), text(8), text(12), text(36)]).toEqual(["RIFF", "WAVE", "fmt ", "data"]);
    expect(view.getUint32(24, true)).toBe(8000);
    expect(view.getUint32(40, true)).toBe(6 * 8000 * 2);
    expect(wav.length).toBe(44 + 6 * 8000 * 2);
  });

  it("sounds during the on part and is silent during the off part", () => {
    const wav = toneWav(ringbackTone);
    const view = new DataView(wav.buffer);
    const peak = (fromMs: number, toMs: number) => {
      let max = 0;
      for (let i = (fromMs * 8000) / 1000; i < (toMs * 8000) / 1000; i++) max = Math.max(max, Math.abs(view.getInt16(44 + i * 2, true)));
      return max;
    };
    expect(peak(0, 1000)).toBeGreaterThan(3000);
    expect(peak(2100, 5900)).toBe(0);
  });
});
