import { describe, expect, it } from "vitest";
import type { Change } from "../../../src-shared/server-api/changes";
import { noticesFromFeed } from "./feed-notices";

const now = Date.UTC(2026, 10, 24, 12);
const change = (patch: Partial<Change>): Change => ({ seq: 1, entity: "credits", entityId: "1", op: "upsert", data: { kind: "low_balance", totalMicros: 1, thresholdMicros: 2 }, at: now - 1000, ...patch });

describe("notices from the change feed", () => {
  it("a fresh low-balance warning becomes one creditLow notice, however many the page holds", () => {
    expect(noticesFromFeed([change({}), change({ seq: 2 })], now)).toEqual([{ kind: "creditLow", minutesLeft: null }]);
  });

  it("an old warning (a first sync), another entity or another kind notifies nothing", () => {
    expect(noticesFromFeed([change({ at: now - 11 * 60_000 })], now)).toEqual([]);
    expect(noticesFromFeed([change({ entity: "call" })], now)).toEqual([]);
    expect(noticesFromFeed([change({ data: { kind: "purchase" } })], now)).toEqual([]);
    expect(noticesFromFeed([change({ data: null })], now)).toEqual([]);
  });
});
