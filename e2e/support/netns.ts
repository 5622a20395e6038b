import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { chromiumPath } from "./chromium";

const run = promisify(execFile);
const ip = async (...args: string[]): Promise<void> => {
  await run("ip", args, { timeout: 10_000 });
};

/** One uplink of the app's namespace: a veth pair, a /30 with the host end at .1 and the app end at .2. */
export interface Uplink {
  hostIf: string;
  appIf: string;
  hostAddress: string;
  appAddress: string;
}

/**
 * A network namespace for the app with two uplinks to the host namespace, as a
 * laptop with Wi-Fi (A) and a cable (B). The app reaches the company side only
 * at `serverAddress` (the host end of A), through A at first; `moveToB()`
 * brings B's address up, routes the server through it and takes A's address
 * away, as a network change does. No default route: the app cannot reach any
 * of the machine's other addresses, and nothing on the host side changes mid-call.
 */
export interface AppNetwork {
  name: string;
  a: Uplink;
  b: Uplink;
  serverAddress: string;
  /** A Chromium executable that runs /usr/bin/chromium inside the namespace (for Playwright's pipe launch). */
  chromiumWrapper: string;
  moveToB(): Promise<void>;
  stop(): Promise<void>;
}

// Documentation ranges (RFC 5737) on interfaces this file creates; this machine's eth0 sits in 192.0.2.0/24, so not that one.
function uplink(tag: string, prefix: string, slot: number, side: "a" | "b"): Uplink {
  const base = slot * 4;
  return { hostIf: `cl${tag}${side}0`, appIf: `cl${tag}${side}1`, hostAddress: `${prefix}.${base + 1}`, appAddress: `${prefix}.${base + 2}` };
}

export async function createAppNetwork(pid = process.pid): Promise<AppNetwork> {
  const name = `caller-app-${pid}`;
  const tag = String(pid % 100_000);
  const slot = pid % 64;
  const a = uplink(tag, "198.51.100", slot, "a");
  const b = uplink(tag, "203.0.113", slot, "b");
  const wrapperDir = mkdtempSync(join(tmpdir(), "caller-netns-"));
  const chromiumWrapper = join(wrapperDir, "chromium-in-netns");
  const stop = async (): Promise<void> => {
    // Deleting the namespace destroys the app ends, and with them each pair; the host ends go too if still there.
    await ip("netns", "del", name).catch(() => undefined);
    for (const link of [a.hostIf, b.hostIf]) await ip("link", "del", link).catch(() => undefined);
    rmSync(wrapperDir, { recursive: true, force: true });
  };
  try {
    await ip("netns", "add", name);
    await ip("-n", name, "link", "set", "lo", "up");
    for (const link of [a, b]) {
      await ip("link", "add", link.hostIf, "type", "veth", "peer", "name", link.appIf, "netns", name);
      await ip("addr", "add", `${link.hostAddress}/30`, "dev", link.hostIf);
      await ip("link", "set", link.hostIf, "up");
      await ip("-n", name, "link", "set", link.appIf, "up");
    }
    await ip("-n", name, "addr", "add", `${a.appAddress}/30`, "dev", a.appIf);
    writeFileSync(chromiumWrapper, `#!/bin/sh\nexec ip netns exec ${name} ${chromiumPath} "$@"\n`);
    chmodSync(chromiumWrapper, 0o755);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    name,
    a,
    b,
    serverAddress: a.hostAddress,
    chromiumWrapper,
    moveToB: async () => {
      await ip("-n", name, "addr", "add", `${b.appAddress}/30`, "dev", b.appIf);
      await ip("-n", name, "route", "add", `${a.hostAddress}/32`, "via", b.hostAddress, "dev", b.appIf, "src", b.appAddress);
      await ip("-n", name, "addr", "del", `${a.appAddress}/30`, "dev", a.appIf);
    },
    stop,
  };
}
