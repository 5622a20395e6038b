import { describe, expect, it } from "vitest";
import { MediaWatchdog } from "./media-watchdog";

describe("MediaWatchdog", () => {
  it("fires once when packets stop arriving for the stall time, and again only after they resumed and stopped", () => {
    const dog = new MediaWatchdog(1500);
    expect(dog.observe(50, 0, false)).toBe(false);
    expect(dog.observe(100, 1000, false)).toBe(false);
    expect(dog.observe(100, 2000, false)).toBe(false);
    expect(dog.observe(100, 2600, false)).toBe(true);
    expect(dog.observe(100, 3600, false)).toBe(false);
    expect(dog.observe(150, 4600, false)).toBe(false);
    expect(dog.observe(150, 6200, false)).toBe(true);
  });

  it("stays quiet before any audio arrived and while the call is on hold", () => {
    const dog = new MediaWatchdog(1500);
    expect(dog.observe(0, 0, false)).toBe(false);
    expect(dog.observe(0, 5000, false)).toBe(false);
    expect(dog.observe(80, 6000, false)).toBe(false);
    expect(dog.observe(80, 7000, true)).toBe(false);
    expect(dog.observe(80, 9000, true)).toBe(false);
    expect(dog.observe(80, 10000, false)).toBe(false);
    expect(dog.observe(80, 11600, false)).toBe(true);
  });
});
