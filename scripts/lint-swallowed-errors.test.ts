import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";

// The project's own eslint.config.js, minus type information (these snippets are not on disk).
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: [tseslint.configs.disableTypeChecked] });

async function swallowErrors(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-syntax").length;
}

describe("the renderer's lint against swallowed failures", () => {
  it.each([
    "void load().catch(() => undefined);",
    "void load().catch(() => {});",
    "void load().then(show, () => undefined);",
    "drop(load(), () => undefined);",
    "drop(load(), () => {});",
    "try { run(); } catch {}",
    "try { run(); } catch (e) {}",
  ])("fails `%s` in src-renderer/", async (code) => {
    expect(await swallowErrors("src-renderer/screens/example.tsx", code)).toBe(1);
  });

  it.each([
    "void load().catch((e: unknown) => toast.error(describeError(t, e)));",
    'void load().catch((e: unknown) => console.warn("[x] only the tray reads it", e));',
    "drop(load(), (e) => setError(e));",
    "try { run(); } catch (e) { report(e); }",
  ])("lets `%s` through", async (code) => {
    expect(await swallowErrors("src-renderer/screens/example.tsx", code)).toBe(0);
  });

  it("leaves code outside the renderer to its own rules", async () => {
    expect(await swallowErrors("src-main/core/example.ts", "void load().catch(() => undefined);")).toBe(0);
  });
});
