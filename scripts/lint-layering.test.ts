import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { beforeAll, describe, expect, it } from "vitest";

// The project's own eslint.config.js, minus type information (these snippets are not on disk).
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: [tseslint.configs.disableTypeChecked] });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

// Loading the config and its plugins the first time takes seconds on a busy machine: not a case's time.
beforeAll(async () => {
  await eslint.lintText("export {};", { filePath: "src-shared/warm-up.ts" });
}, 120_000);

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

describe("no registry keyed on the database or the app in src-server and the desktop core", () => {
  async function registryErrors(code: string, filePath = "src-server/example.ts"): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-syntax").map((m) => m.message);
  }

  it.each([
    'import type { Knex } from "knex";\nconst runtimes = new WeakMap<Knex, object>();',
    'import type { Knex } from "knex";\nexport const held = new Map<Knex.Transaction, number>();',
    "const raters = new WeakMap<object, Map<number, string>>();",
    'import type { FastifyInstance } from "fastify";\nconst routeTables = new WeakMap<FastifyInstance, string[]>();',
  ])("fail for a module-level map keyed on a db or the app: %s", async (code) => {
    expect(await registryErrors(code)).toHaveLength(1);
  });

  it("fail in the desktop core too (the calling method's listeners were kept per knex)", async () => {
    const code = 'import type { Knex } from "knex";\nconst listeners = new WeakMap<Knex, Set<() => void>>();';
    expect(await registryErrors(code, "src-main/core/example.ts")).toHaveLength(1);
  });

  it("let a class keep its own map, and a module keep a constant set", async () => {
    const code = 'import type { Knex } from "knex";\nconst rates = new Set([8000, 16000]);\nexport class Cache {\n  readonly byDb = new WeakMap<Knex, number>();\n}';
    expect(await registryErrors(code)).toEqual([]);
  });

  it("find none in src-server and src-main/core as they stand", async () => {
    const results = await eslint.lintFiles(["src-server/**/*.ts", "src-main/core/**/*.ts"]);
    const found = results.flatMap((r) => r.messages.filter((m) => m.ruleId === "no-restricted-syntax").map((m) => `${r.filePath}:${m.line}`));
    expect(found).toEqual([]);
  }, 300_000);
});
