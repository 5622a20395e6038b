import { describe, expect, it } from "vitest";
import { formatDuration, formatMoney, formatTimer } from "./format";

describe("formatting", () => {
  it("formats micro-dollars in the company currency for each UI language", () => {
    expect(formatMoney(4_000_000, "USD", "en")).toBe("$4.00");
    expect(formatMoney(12_345, "USD", "en")).toBe("$0.0123");
    expect(formatMoney(4_000_000, "USD", "ja")).toMatch(/\$4\.00/);
  });

  it("shows a running timer with hours only when needed", () => {
    expect(formatTimer(7)).toBe("0:07");
    expect(formatTimer(754)).toBe("12:34");
    expect(formatTimer(3723)).toBe("1:02:03");
  });

  it("writes durations in words in English and Japanese", () => {
    expect(formatDuration(125, "en")).toBe("2 min 5 sec");
    expect(formatDuration(125, "ja")).toBe("2 分 5 秒");
    expect(formatDuration(9, "en")).toBe("9 sec");
  });
});
