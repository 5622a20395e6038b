import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../src-main/core/store/open-store";
import { setSetting } from "../src-main/core/store/settings-repo";
import { startApp, startHostProcess, type RunningApp, type RunningHost } from "./support/app";
import { sharedBrowser } from "./support/browser";
import { photographSettled, type ScreenLanguage, type ScreenSize } from "./support/screens";

// A warm start: the user signed in on an earlier run. The page's first answers come from the
// store while the core loads, so the dialer is there before the core is. The test holds the
// core's chunk until it has looked (support/hold-core.mjs), so "before" is certain, not a race.
let app: RunningApp;
const storeFile = () => join(app.dataDir, "desktop", "caller.sqlite");

beforeAll(async () => {
  app = await startApp({ hostArgs: ["--sign-in", "admin@demo.example:demo-admin"] });
  // The first run signs in (the host's core does, before answering the page): done once the page is signed in.
  const context = await (await sharedBrowser()).newContext();
  const page = await context.newPage();
  await page.goto(await app.host.launchUrl());
  await page.getByTestId("user-menu").waitFor({ timeout: 30_000 });
  await context.close();
  await app.host.stop();
});
afterAll(async () => {
  await app?.stop();
});

const sizes: ScreenSize[] = [
  { width: 1100, height: 720 },
  { width: 1920, height: 1080 },
];

describe("a warm start", () => {
  for (const language of ["en", "ja"] as const) {
    it(`shows the dialer, typeable, while the core is still loading, and never says ready before it is (${language}, both sizes)`, async () => {
      for (const size of sizes) await warmStart(language, size);
    }, 120_000);
  }
});

async function warmStart(language: ScreenLanguage, size: ScreenSize): Promise<void> {
  const store = await openStore({ file: storeFile() });
  await setSetting(store.knex, "settings", { language, defaultCountry: null });
  await store.close();

  const gate = join(app.dataDir, "core-gate");
  rmSync(gate, { force: true });
  let host: RunningHost | null = null;
  const context = await (await sharedBrowser()).newContext({ locale: language === "ja" ? "ja-JP" : "en-US", viewport: size, deviceScaleFactor: 1 });
  try {
    host = await startHeldHost(gate);
    const page = await context.newPage();
    await page.goto(await host.launchUrl());
    const field = page.getByTestId("dial-number");
    await field.waitFor({ timeout: 20_000 });
    await field.pressSequentially("0312345678");
    await expect.poll(() => field.inputValue()).toBe("0312345678");
    const pill = page.getByTestId("registration");
    expect(await pill.getAttribute("data-state")).toBe("starting");
    expect(await pill.textContent()).toBe(language === "ja" ? "接続中…" : "Connecting…");
    const options = { language, theme: "light" as const, size };
    expect(await photographSettled(page, "start-before-core", options)).toEqual([]);
    // Still before: nothing the core alone answers has come.
    expect(await pill.getAttribute("data-state")).toBe("starting");

    writeFileSync(gate, "");
    // The core is up: it answers the calls that waited (this server has no PBX: the phone says what is wrong, never "ready").
    await page.waitForFunction(() => document.querySelector('[data-testid="registration"]')?.getAttribute("data-state") !== "starting", null, { timeout: 30_000 });
    expect(await pill.getAttribute("data-state")).not.toBe("ready");
    expect(await field.inputValue()).toBe("0312345678");
    expect(await photographSettled(page, "start-after-core", options)).toEqual([]);
  } finally {
    writeFileSync(gate, "");
    await context.close();
    await host?.stop();
  }
}

/** The host, with its core's chunk held until `gate` exists. */
async function startHeldHost(gate: string): Promise<RunningHost> {
  const saved = { options: process.env.NODE_OPTIONS, gate: process.env.CALLER_TEST_CORE_GATE };
  process.env.NODE_OPTIONS = `${saved.options ?? ""} --import=${join(import.meta.dirname, "support", "hold-core.mjs")}`.trim();
  process.env.CALLER_TEST_CORE_GATE = gate;
  try {
    return await startHostProcess(app.serverUrl, app.dataDir);
  } finally {
    restore("NODE_OPTIONS", saved.options);
    restore("CALLER_TEST_CORE_GATE", saved.gate);
  }
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
