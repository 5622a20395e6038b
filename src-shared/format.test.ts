import { describe, expect, it, vi } from "vitest";
import { formatDate, formatDateTime, formatListTime, formatRecentTime, zoneName, formatDuration, formatMoney, formatRate, formatTimer, minutesBalanceBuys } from "./format";

describe("formatting", () => {
  it("formats micro-dollars in the company currency for each UI language", () => {
    expect(formatMoney(4_000_000, "USD", "en")).toBe("$4.00");
    expect(formatMoney(4_000_000, "USD", "ja")).toMatch(/\$4\.00/);
  });

  it("shows balances, amounts and costs with exactly 2 decimals in both languages", () => {
    expect(formatMoney(27_974_000, "USD", "en")).toBe("$27.97");
    expect(formatMoney(27_974_000, "USD", "ja")).toBe(new Intl.NumberFormat("ja", { style: "currency", currency: "USD" }).format(27.97));
    expect(formatMoney(27_974_000, "USD", "ja")).toMatch(/27\.97$/);
    expect(formatMoney(32_987_000, "USD", "en")).toBe("$32.99");
    expect(formatMoney(12_345, "USD", "en")).toBe("$0.01");
    expect(formatMoney(-1_500_000, "USD", "en")).toBe("-$1.50");
  });

  it("keeps more decimals only for per-minute rates", () => {
    expect(formatRate(12_345, "USD", "en")).toBe("$0.0123");
    expect(formatRate(13_000, "USD", "en")).toBe("$0.013");
    expect(formatRate(50_000, "USD", "en")).toBe("$0.05");
  });

  it("counts the whole minutes a balance buys at a rate", () => {
    expect(minutesBalanceBuys(27_000_000, 13_000)).toBe(2076);
    expect(minutesBalanceBuys(27_000_000, 50_000)).toBe(540);
    expect(minutesBalanceBuys(27_000_000, 120_000)).toBe(225);
    expect(minutesBalanceBuys(0, 50_000)).toBe(0);
    expect(minutesBalanceBuys(27_000_000, 0)).toBe(0);
  });

  it("names the company's time zone only when it is not the computer's", () => {
    const at = Date.UTC(2026, 11, 6, 21, 40);
    expect(formatDateTime(at, "en", "Asia/Tokyo", "Asia/Tokyo")).toBe("Dec 7, 2026, 6:40 AM");
    expect(formatDateTime(at, "en", "Asia/Tokyo", "Europe/Berlin")).toBe("Dec 7, 2026, 6:40 AM GMT+9");
    expect(formatDateTime(at, "ja", "Asia/Tokyo", "Europe/Berlin")).toBe("2026年12月7日 6:40 JST");
    expect(formatDateTime(at, "ja", "Asia/Tokyo", "Asia/Tokyo")).toBe("2026年12月7日 6:40");
    expect(formatDate(at, "en", "Asia/Tokyo")).toBe("Dec 7, 2026");
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
describe("formatRecentTime", () => {
  const at = Date.UTC(2026, 11, 6, 14, 50);
  it("shows only the time for a moment earlier today, in the given zone", () => {
    expect(formatRecentTime(at, "en", at + 5 * 60_000, "Asia/Tokyo")).toBe("11:50 PM");
    expect(formatRecentTime(at, "ja", at + 5 * 60_000, "Asia/Tokyo")).toBe("23:50");
  });
  it("adds the day, without the year, once the day has changed", () => {
    expect(formatRecentTime(at, "en", at + 20 * 60_000, "Asia/Tokyo")).toBe("Dec 6, 11:50 PM");
    expect(formatRecentTime(at, "ja", at + 20 * 60_000, "Asia/Tokyo")).toBe("12月6日 23:50");
  });
});
});

describe("formatListTime and zoneName", () => {
  const at = Date.UTC(2026, 11, 6, 14, 50);
  it("shows the time alone today, the day and time this year, the full date before, never the zone", () => {
    expect(formatListTime(at, "en", at + 5 * 60_000, "Asia/Tokyo")).toBe("11:50 PM");
    expect(formatListTime(at, "en", at + 20 * 60_000, "Asia/Tokyo")).toBe("Dec 6, 11:50 PM");
    expect(formatListTime(at, "ja", at + 20 * 60_000, "Asia/Tokyo")).toBe("12月6日 23:50");
    expect(formatListTime(at, "en", Date.UTC(2027, 0, 2), "Asia/Tokyo")).toBe("Dec 6, 2026, 11:50 PM");
    expect(formatListTime(at, "ja", Date.UTC(2027, 0, 2), "Asia/Tokyo")).toBe("2026年12月6日 23:50");
  });
  it("names the zone for a header only when it is not the computer's", () => {
    expect(zoneName("en", "Asia/Tokyo", "Europe/Berlin")).toBe("GMT+9");
    expect(zoneName("ja", "Asia/Tokyo", "Europe/Berlin")).toBe("JST");
    expect(zoneName("en", "Asia/Tokyo", "Asia/Tokyo")).toBeNull();
  });
});

describe("formatters are made once", () => {
  it("a second top-bar time, date and duration in the same language build no new Intl formatter", () => {
    const zone = "Asia/Tokyo";
    const at = Date.UTC(2026, 11, 7, 2, 0);
    const first = [formatRecentTime(at, "ja", at + 1000, zone), formatDateTime(at, "ja", zone, zone), formatDate(at, "ja", zone), formatDuration(125, "ja")];
    const dates = vi.spyOn(Intl, "DateTimeFormat");
    const numbers = vi.spyOn(Intl, "NumberFormat");
    try {
      expect([formatRecentTime(at, "ja", at + 1000, zone), formatDateTime(at, "ja", zone, zone), formatDate(at, "ja", zone), formatDuration(125, "ja")]).toEqual(first);
      expect(dates).not.toHaveBeenCalled();
      expect(numbers).not.toHaveBeenCalled();
    } finally {
      dates.mockRestore();
      numbers.mockRestore();
    }
  });
});
