import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startApp, startHostProcess, type RunningApp, type RunningHost } from "./support/app";
import { attachToWindow, chromiumPidFor, chromiumWrapper, closeWindow, commandLine, windowPage } from "./support/app-window";
import { newPage, signIn } from "./support/browser";
import { killGroup } from "./support/chromium";

// Desktop integration on Linux: a registered host reached by xdg-open under Xvfb, shortcuts and paste in the window.
const run = promisify(execFile);
let home: string;
let xvfb: { child: ChildProcess; display: string } | undefined;
let app: RunningApp;
let context: BrowserContext;
let page: Page;
const savedEnv = { ...process.env };

/** Only a temp home: the machine's own handlers are never touched. */
function desktopEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_DATA_HOME: join(home, "data"),
    XDG_CONFIG_HOME: join(home, "config"),
    XDG_DATA_DIRS: join(home, "system"),
    DISPLAY: xvfb?.display,
  };
}

beforeAll(async () => {
  if (!existsSync("dist/main/open-link.mjs")) execFileSync("node", ["scripts/build.mjs", "host"], { stdio: "inherit" });
  home = mkdtempSync(join(tmpdir(), "caller-desktop-home-"));
  mkdirSync(join(home, "config"), { recursive: true });
  xvfb = await startXvfb();
  // The host registers itself in this environment (its launcher path goes into the .desktop entry).
  Object.assign(process.env, desktopEnv());
  app = await startApp({ hostArgs: ["--register-links"] });
  ({ context, page } = await newPage("en-US"));
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(app.host.url).origin });
  await page.goto(await app.host.launchUrl());
  await signIn(page, "sales@demo.example", "demo-sales");
  await page.getByTestId("dial-number").waitFor();
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await app?.stop();
  if (xvfb) await killGroup(xvfb.child);
  for (const key of Object.keys(desktopEnv())) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  if (home) rmSync(home, { recursive: true, force: true });
});

async function xdgMimeDefault(): Promise<string> {
  return (await run("xdg-mime", ["query", "default", "x-scheme-handler/callto"], { env: desktopEnv() })).stdout.trim();
}

describe("desktop integration through the Node host", () => {
  it("is the registered handler, and xdg-open of a callto: link fills the dialer without dialing", async () => {
    expect(await xdgMimeDefault()).toBe("caller-desktop.desktop");
    const field = page.getByTestId("dial-number");
    await field.fill("");
    const started = performance.now();
    await run("xdg-open", ["callto:+81312345678"], { env: desktopEnv() });
    const launcherMs = performance.now() - started;
    await page.waitForFunction(() => (document.getElementById("dial-number") as HTMLInputElement | null)?.value === "+81312345678", null, { polling: 10 });
    const ms = performance.now() - started;
    console.log(`desktop: xdg-open callto: → dialer filled in ${ms.toFixed(0)} ms (target ≤ 500 ms; xdg-open and the launcher returned after ${launcherMs.toFixed(0)} ms)`);
    expect(ms).toBeLessThan(2_000);
    await expect.poll(() => page.getByTestId("dial-status").textContent()).toBe("Will dial +81312345678");
    expect(await page.getByTestId("call-screen").count()).toBe(0);
  });

  it("refuses a link that is not a dialable number: the dialer stays empty and says why", async () => {
    await run("xdg-open", ["tel:110"], { env: desktopEnv() });
    await expect.poll(() => page.getByTestId("link-notice").textContent()).toContain("emergency");
    expect(await page.getByTestId("dial-number").inputValue()).toBe("");
  });

  it("opens the dialer with its shortcut from another view", async () => {
    await page.getByTestId("dial-number").fill("0312");
    await page.getByTestId("personal-entry").click();
    await page.getByTestId("hotkey-openDialer").focus();
    await page.keyboard.press("Control+Alt+KeyD");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("dial-number");
  });

  it("reads a pasted 'Tel. 03-1234-5678 (office)' as +81312345678, and dials the clipboard by shortcut", async () => {
    const field = page.getByTestId("dial-number");
    await field.fill("");
    await page.evaluate(() => navigator.clipboard.writeText("Tel. 03-1234-5678 (office)"));
    await field.focus();
    await page.keyboard.press("Control+KeyV");
    await expect.poll(() => field.inputValue()).toBe("+81312345678");

    await field.fill("");
    await page.evaluate(() => navigator.clipboard.writeText("TEL：０９０ー１２３４ー５６７８"));
    await page.keyboard.press("Control+Alt+KeyV");
    await expect.poll(() => field.inputValue()).toBe("+819012345678");
  });

  it("reports a shortcut taken by another action instead of ignoring it", async () => {
    await page.getByTestId("personal-entry").click();
    // The field records the keys pressed, as the user would set it.
    await page.getByTestId("hotkey-toggleMute").click();
    await page.keyboard.press("Control+Alt+KeyD");
    await expect.poll(() => page.getByTestId("hotkey-toggleMute").getAttribute("data-accelerator")).toBe("CommandOrControl+Alt+D");
    await page.getByRole("button", { name: "Save shortcuts" }).click();
    await expect.poll(() => page.getByTestId("hotkey-problem-toggleMute").textContent()).toContain("also the shortcut for “Open the dialer”");
    await page.getByRole("button", { name: "Back to defaults" }).click();
    await expect.poll(() => page.getByTestId("hotkey-problem-toggleMute").count()).toBe(0);
  });

  it("lets go of callto: when the calling method is switched away", async () => {
    await page.getByTestId("personal-entry").click();
    await callCore("setCallingMethod", { callingMethod: "other" });
    expect(await xdgMimeDefault()).not.toContain("caller");
    await expect.poll(() => page.getByTestId("link-handler-state").textContent()).toBe("callto: and tel: links go to another app.");
    await callCore("setCallingMethod", { callingMethod: "caller" });
    expect(await xdgMimeDefault()).toBe("caller-desktop.desktop");
  });
});

describe("the app window the Node host opens itself (--open)", () => {
  let dir: string;
  let host: RunningHost | undefined;
  const profile = () => join(dir, "desktop", "chromium");
  const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
  /** What another local user (nobody) gets from reading a file. */
  const readAsNobody = (path: string) => spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "cat", path]).status;

  afterAll(async () => {
    const pid = dir ? chromiumPidFor(profile()) : null;
    if (pid !== null) await closeWindow(pid, profile());
    await host?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("starts Chromium with no usable secret on its command line, reloads, calls the core, and a later link gets a window with a fresh code", async () => {
    dir = mkdtempSync(join(tmpdir(), "caller-window-"));
    // Folders other users can enter, as an older version left them: only the app's own modes protect its files.
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, "desktop"), { mode: 0o755 });
    const wrapper = join(dir, "chromium.sh");
    writeFileSync(wrapper, chromiumWrapper(), { mode: 0o755 });
    Object.assign(process.env, { CALLER_BROWSER: wrapper, CALLER_SIGN_IN: "sales@demo.example:demo-sales" });
    try {
      host = await startHostProcess(app.serverUrl, dir, ["--open"]);
    } finally {
      delete process.env.CALLER_BROWSER;
      delete process.env.CALLER_SIGN_IN;
    }

    await expect.poll(() => chromiumPidFor(profile()), { timeout: 20_000 }).not.toBeNull();
    const pid = chromiumPidFor(profile())!;
    const args = commandLine(pid);
    const appArg = args.find((arg) => arg.startsWith("--app="));
    expect(appArg, args.join(" ")).toMatch(/^--app=file:\/\//);
    // What another user reads there: no host address to trade, no code, and every long token in it is useless.
    expect(args.join(" ")).not.toContain("127.0.0.1");
    expect(args.join(" ")).not.toContain("code=");
    const launchPage = new URL(appArg!.slice("--app=".length)).pathname;
    expect(mode(join(dir, "desktop"))).toBe("700");
    expect(readAsNobody(launchPage)).not.toBe(0);
    for (const candidate of args.join(" ").match(/[A-Za-z0-9_-]{16,}/g) ?? []) {
      expect((await fetch(`${host.url}launch?code=${candidate}`, { redirect: "manual" })).status).toBe(403);
    }

    const browser = await attachToWindow(profile());
    try {
      const page = await windowPage(browser, host.url);
      await page.getByTestId("dial-number").waitFor({ timeout: 20_000 });
      await page.reload();
      await page.getByTestId("dial-number").fill("03-1234-5678");
      await expect.poll(() => page.getByTestId("dial-status").textContent()).toBe("Will dial +81312345678");
      await expect.poll(() => page.getByTestId("user-menu").isVisible()).toBe(true);
    } finally {
      await browser.close();
    }

    // The store, its WAL and the link socket: the user's alone, in a folder only the user can enter.
    const store = join(dir, "desktop", "caller.sqlite");
    for (const file of [store, `${store}-wal`, `${store}-shm`]) expect(mode(file), file).toBe("600");
    expect(mode(host.linkSocket)).toBe("600");
    expect(readAsNobody(store)).not.toBe(0);

    // The window closes; a callto: link then opens a new one, through its own launch page and code.
    await closeWindow(pid, profile());
    execFileSync(process.execPath, ["dist/main/open-link.mjs", "--data", join(dir, "desktop"), "callto:+81312345678"]);
    await expect.poll(() => chromiumPidFor(profile()), { timeout: 20_000 }).not.toBeNull();
    const secondArgs = commandLine(chromiumPidFor(profile())!);
    const secondApp = secondArgs.find((arg) => arg.startsWith("--app="));
    expect(secondApp).toMatch(/^--app=file:\/\//);
    expect(secondApp).not.toBe(appArg);
    const second = await attachToWindow(profile());
    try {
      const page = await windowPage(second, host.url);
      await expect.poll(() => page.getByTestId("dial-number").inputValue().catch(() => ""), { timeout: 20_000 }).toBe("+81312345678");
    } finally {
      await second.close();
    }
  }, 120_000);
});

/** One call to the host's core over its WebSocket, as a page makes it after trading a launch URL for its cookie. */
async function callCore(method: string, request: unknown): Promise<unknown> {
  const launch = new URL(await app.host.launchUrl());
  const traded = await fetch(launch, { redirect: "manual" });
  const cookie = traded.headers.getSetCookie()[0]?.split(";")[0] ?? "";
  const ws = new WebSocket(`ws://${launch.host}/api`, ["caller-v1"], { headers: { origin: launch.origin, cookie } });
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  const answer = await new Promise<{ ok: boolean; value?: unknown; error?: unknown }>((resolve) => {
    ws.on("message", (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { t: string; id?: number; envelope?: { ok: boolean } };
      if (message.t === "result" && message.id === 1 && message.envelope) resolve(message.envelope);
    });
    ws.send(JSON.stringify({ t: "call", id: 1, method, request }));
  });
  ws.close();
  if (!answer.ok) throw new Error(`${method}: ${JSON.stringify(answer.error)}`);
  return answer.value;
}

/** Xvfb on a display number it picks itself (-displayfd), so runs never collide. */
async function startXvfb(): Promise<{ child: ChildProcess; display: string }> {
  const child = spawn("Xvfb", ["-displayfd", "3", "-nolisten", "tcp", "-screen", "0", "1024x768x24"], { stdio: ["ignore", "ignore", "pipe", "pipe"], detached: true });
  const display = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("Xvfb did not start in 10 s")), 10_000);
    child.stdio[3]?.on("data", (chunk: Buffer) => {
      clearTimeout(timer);
      resolve(`:${chunk.toString().trim()}`);
    });
    child.once("exit", (code) => reject(new Error(`Xvfb exited (${code})`)));
  });
  return { child, display };
}
