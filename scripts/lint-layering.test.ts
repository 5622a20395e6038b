import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";

// The project's own eslint.config.js, minus type information (these snippets are not on disk).
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: [tseslint.configs.disableTypeChecked] });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("layering lint rules", () => {
  it.each([
    ['import { readFileSync } from "fs";', "fs"],
    ['import { readFileSync } from "node:fs";', "node:fs"],
    ['import { app } from "electron";', "electron"],
    ['import knex from "knex";', "knex"],
    ['import { createCore } from "../src-main/core/create-core";', "src-main"],
  ])("fail when src-shared/ imports %s", async (code) => {
    expect(await layeringErrors("src-shared/example.ts", code)).toHaveLength(1);
  });

  it("let src-shared/ import zod and its own modules", async () => {
    expect(await layeringErrors("src-shared/example.ts", 'import { z } from "zod";\nimport { assertNever } from "./assert-never";')).toEqual([]);
  });

  it.each([
    'import { openStore } from "../src-main/core/store/open-store";',
    'import { buildServer } from "../src-server/app";',
    'import { ipcRenderer } from "electron";',
    'import { readFile } from "node:fs/promises";',
  ])("fail when src-renderer/ imports %s", async (code) => {
    expect(await layeringErrors("src-renderer/example.tsx", code)).toHaveLength(1);
  });

  it("fail when src-main/core imports electron", async () => {
    expect(await layeringErrors("src-main/core/example.ts", 'import { app } from "electron";')).toHaveLength(1);
  });
});
