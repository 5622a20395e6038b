import { describe, expect, it } from "vitest";
import { CallingHours, judgeCallingHours, zonesOfRegion } from "./calling-hours";
import { zoneOfNumber } from "./number-zone";

const weekdays9to18 = { days: [1, 2, 3, 4, 5], from: "09:00", to: "18:00" };
// Tuesday 2026-11-24 03:00 UTC: noon in Tokyo, 22:00 Monday in New York, 19:00 Monday in Los Angeles.
const tuesdayNoonTokyo = Date.UTC(2026, 10, 24, 3, 0);

describe("calling hours", () => {
  it("no hours set: every number may be called at any time", () => {
    expect(judgeCallingHours(null, "+12125550123", tuesdayNoonTokyo)).toMatchObject({ ok: true });
  });

  it("a Japanese number is judged in Tokyo's time", () => {
    expect(judgeCallingHours(weekdays9to18, "+819012345678", tuesdayNoonTokyo)).toEqual({ ok: true, basis: { kind: "own_zone", zone: "Asia/Tokyo" } });
    // 18:00 in Tokyo is the end: closed until Wednesday 09:00 (00:00 UTC).
    expect(judgeCallingHours(weekdays9to18, "+819012345678", Date.UTC(2026, 10, 24, 9, 0))).toEqual({ ok: false, opensAt: Date.UTC(2026, 10, 25, 0, 0), basis: { kind: "own_zone", zone: "Asia/Tokyo" } });
  });

  it("a US number whose area code names its zone is judged there: New York opens at 09:00 New York time", () => {
    expect(judgeCallingHours(weekdays9to18, "+12125550123", Date.UTC(2026, 10, 24, 13, 55))).toEqual({ ok: false, opensAt: Date.UTC(2026, 10, 24, 14, 0), basis: { kind: "own_zone", zone: "America/New_York" } });
    expect(judgeCallingHours(weekdays9to18, "+12125550123", Date.UTC(2026, 10, 24, 14, 0))).toMatchObject({ ok: true });
    // Los Angeles (310) at the same moment is 06:00: not yet; Honolulu (808) opens last, at 19:00 UTC.
    expect(judgeCallingHours(weekdays9to18, "+13105550123", Date.UTC(2026, 10, 24, 14, 0))).toMatchObject({ ok: false, opensAt: Date.UTC(2026, 10, 24, 17, 0) });
    expect(judgeCallingHours(weekdays9to18, "+18085550123", Date.UTC(2026, 10, 24, 14, 0))).toMatchObject({ ok: false, opensAt: Date.UTC(2026, 10, 24, 19, 0), basis: { kind: "own_zone", zone: "Pacific/Honolulu" } });
  });

  it("a number whose area code does not tell the zone falls back to the strict rule: the US opens once Honolulu does", () => {
    // 208 (Idaho) spans Mountain and Pacific time.
    expect(judgeCallingHours(weekdays9to18, "+12085550123", Date.UTC(2026, 10, 24, 14, 0))).toEqual({ ok: false, opensAt: Date.UTC(2026, 10, 24, 19, 0), basis: { kind: "all_zones", region: "US" } });
    expect(judgeCallingHours(weekdays9to18, "+12085550123", Date.UTC(2026, 10, 24, 19, 0))).toMatchObject({ ok: true });
    expect(zonesOfRegion("US")).toContain("Pacific/Honolulu");
  });

  it("area codes give zones in the US, Canada and Australia, and nothing where they cannot", () => {
    expect(zoneOfNumber("+13125550123")).toBe("America/Chicago");
    expect(zoneOfNumber("+16045550123")).toBe("America/Vancouver");
    expect(zoneOfNumber("+14165550123")).toBe("America/Toronto");
    expect(zoneOfNumber("+16025550123")).toBe("America/Phoenix");
    expect(zoneOfNumber("+61292345678")).toBe("Australia/Sydney");
    // Perth and Adelaide share 08; a mobile moves with its owner; a Caribbean NANP number is its own country.
    expect(zoneOfNumber("+61892345678")).toBeNull();
    expect(zoneOfNumber("+61412345678")).toBeNull();
    expect(zoneOfNumber("+18765550123")).toBeNull();
    expect(zoneOfNumber("+819012345678")).toBeNull();
    expect(zoneOfNumber("not a number")).toBeNull();
  });

  it("a zone shared with another country counts for its own country only", () => {
    expect(zonesOfRegion("JP")).toEqual(["Asia/Tokyo"]);
    expect(zonesOfRegion("AU")).not.toContain("Asia/Tokyo");
  });

  it("a region with no zone of its own is judged in the zone it shares (a Guernsey mobile in London's time)", () => {
    // +44 7911 is Guernsey's range: 03:00 UTC is 03:00 there, outside 09:00–18:00.
    expect(judgeCallingHours(weekdays9to18, "+447911123456", tuesdayNoonTokyo)).toMatchObject({ ok: false, opensAt: Date.UTC(2026, 10, 24, 9, 0), basis: { kind: "own_zone", zone: "Europe/London" } });
  });

  it("zones that never share the window: closed, with no opening time", () => {
    // Russia spans UTC+2 … UTC+12: a two-hour window is never inside all of its zones at once.
    expect(judgeCallingHours({ days: [0, 1, 2, 3, 4, 5, 6], from: "10:00", to: "12:00" }, "+74951234567", tuesdayNoonTokyo)).toEqual({ ok: false, opensAt: null, basis: { kind: "all_zones", region: "RU" } });
  });

  it("a weekend day is outside weekday hours, whatever the time", () => {
    const saturdayNoonTokyo = Date.UTC(2026, 10, 28, 3, 0);
    expect(judgeCallingHours(weekdays9to18, "+819012345678", saturdayNoonTokyo)).toMatchObject({ ok: false, opensAt: Date.UTC(2026, 10, 30, 0, 0) });
  });

  it("refuses hours that end before they start, or name a day twice", () => {
    expect(CallingHours.safeParse({ days: [1], from: "18:00", to: "09:00" }).success).toBe(false);
    expect(CallingHours.safeParse({ days: [1, 1], from: "09:00", to: "18:00" }).success).toBe(false);
    expect(CallingHours.safeParse({ days: [1], from: "09:00", to: "24:00" }).success).toBe(true);
  });
});
