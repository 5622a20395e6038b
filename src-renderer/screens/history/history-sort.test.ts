import { describe, expect, it } from "vitest";
import { ariaSort, nextSort } from "./history-sort";

describe("history sorting", () => {
  it("turns the sorted column around and starts another in its first direction", () => {
    const newest = { by: "time", direction: "desc" } as const;
    expect(nextSort(newest, "time")).toEqual({ by: "time", direction: "asc" });
    expect(nextSort({ by: "time", direction: "asc" }, "time")).toEqual({ by: "time", direction: "desc" });
    expect(nextSort(newest, "cost")).toEqual({ by: "cost", direction: "desc" });
    expect(nextSort(newest, "duration")).toEqual({ by: "duration", direction: "desc" });
    expect(nextSort(newest, "party")).toEqual({ by: "party", direction: "asc" });
    expect(nextSort({ by: "party", direction: "asc" }, "outcome")).toEqual({ by: "outcome", direction: "asc" });
  });

  it("says the direction on the sorted column only", () => {
    expect(ariaSort({ by: "cost", direction: "asc" }, "cost")).toBe("ascending");
    expect(ariaSort({ by: "cost", direction: "desc" }, "cost")).toBe("descending");
    expect(ariaSort({ by: "cost", direction: "desc" }, "time")).toBe("none");
  });
});
