import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appWindowArgs, launchDir, sweepLaunchPages, writeLaunchPage } from "./app-window";

let dataDir: string;
const launchUrl = "http://127.0.0.1:4310/launch?code=AbCdEf0123456789_-launch-code";
const mode = async (path: string) => ((await stat(path)).mode & 0o777).toString(8);

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "caller-window-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("the app window's launch", () => {
  it("names only a private launch page on Chromium's command line; the code is inside it", async () => {
    const page = await writeLaunchPage(dataDir, launchUrl, 30_000);
    const args = appWindowArgs(page, dataDir);
    expect(args.join(" ")).not.toContain("code=");
    expect(args.join(" ")).not.toContain("127.0.0.1");
    expect(args[0]).toBe(`--app=file://${page}`);
    expect(await mode(launchDir(dataDir))).toBe("700");
    expect(await mode(page)).toBe("600");
    expect(await readFile(page, "utf8")).toContain(`<meta http-equiv="refresh" content="0;url=${launchUrl}">`);
  });

  it("gives each window its own page, and a new start sweeps pages an old run left", async () => {
    const first = await writeLaunchPage(dataDir, launchUrl, 30_000);
    const second = await writeLaunchPage(dataDir, launchUrl, 30_000);
    expect(second).not.toBe(first);
    await sweepLaunchPages(dataDir);
    await expect(stat(first)).rejects.toThrow();
    expect(await mode(launchDir(dataDir))).toBe("700");
  });
});
