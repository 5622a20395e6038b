import { describe, expect, it } from "vitest";
import { pagesOf, visibleRows } from "./virtual-window";

describe("virtual window", () => {
  it("renders only the rows in view plus a little overscan, for 100,000 rows", () => {
    const window = visibleRows(50_000 * 60, 600, 60, 100_000, 5);
    expect(window).toEqual({ start: 49_995, end: 50_016 });
    expect(window.end - window.start).toBeLessThan(25);
  });

  it("clamps at the top and the bottom", () => {
    expect(visibleRows(-100, 600, 60, 100_000, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleRows(1e9, 600, 60, 100, 5)).toEqual({ start: 94, end: 100 });
    expect(visibleRows(0, 600, 60, 0)).toEqual({ start: 0, end: 0 });
  });

  it("names the pages that hold a window", () => {
    expect(pagesOf({ start: 190, end: 215 }, 100)).toEqual([1, 2]);
    expect(pagesOf({ start: 0, end: 0 }, 100)).toEqual([]);
  });
});
