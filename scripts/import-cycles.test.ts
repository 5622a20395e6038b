import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const cycles = (dir: string): string => {
  try {
    return execFileSync(process.execPath, ["scripts/import-cycles.mjs", dir], { encoding: "utf8" });
  } catch (error) {
    return String((error as { stdout?: unknown }).stdout);
  }
};

describe("import cycles", () => {
  it("the desktop core's modules import each other without a cycle (the composition root only imports)", () => {
    expect(cycles("src-main/core").trim().split("\n").at(-1)).toBe("0 cyclic group(s) in src-main/core");
  });
});
