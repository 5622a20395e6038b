import { readdir, readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { BareSipPage } from "../support/bare-sipjs";
import { sharedBrowser } from "../support/browser";
import { scalePbxCli, type ScaleFacts, type ScalePbx } from "../support/scale-topology";

// Measures what the SIP edge costs: the same user's calls through Kamailio and straight to
// the Asterisk that Kamailio picks for it, dial → established, and the CPU each piece spends
// per call. Prints the figures docs/scale.md quotes.

const calls = 10;
const number = "+12015550123";
let facts: ScaleFacts;
let token = "";
let sip: { wsUrl: string; aor: string; username: string; password: string };
const pages: BareSipPage[] = [];

const ticksPerSecond = 100;

/** Every process's id and command line, read once per measurement (a scan per call would cost more than the call). */
async function processes(): Promise<{ pid: string; cmdline: string }[]> {
  const found: { pid: string; cmdline: string }[] = [];
  for (const pid of (await readdir("/proc")).filter((name) => /^\d+$/.test(name))) {
    try {
      found.push({ pid, cmdline: (await readFile(`/proc/${pid}/cmdline`, "utf8")).replaceAll("\0", " ") });
    } catch {
      // The process ended meanwhile.
    }
  }
  return found;
}

/** utime + stime in ms of these processes. */
async function cpuMs(pids: readonly string[]): Promise<number> {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return (ticks * 1000) / ticksPerSecond;
}

const pieces = (pbx: ScalePbx): Record<string, (cmdline: string) => boolean> => ({
  kamailio: (c) => c.startsWith("kamailio ") || c.startsWith("/usr/sbin/kamailio "),
  asterisk: (c) => c.includes("asterisk") && c.includes(`/run/caller/${pbx.name}/`),
  servers: (c) => c.includes("dist/server/server.mjs") && c.includes("--pbx-peer"),
  haproxy: (c) => c.startsWith("haproxy "),
  rtpengine: (c) => c.startsWith("rtpengine "),
});

interface Path {
  name: string;
  page: BareSipPage;
  times: number[];
  cpu: Record<string, number>;
}

/** One call on `path`, its setup time and what each piece spent meanwhile. */
async function callOnce(path: Path, pids: Record<string, string[]>): Promise<void> {
  const before: Record<string, number> = {};
  for (const [name, ids] of Object.entries(pids)) before[name] = await cpuMs(ids);
  const timing = await path.page.call(number);
  expect(timing).toMatchObject({ failedStatus: null });
  path.times.push(timing.establishedMs ?? Number.NaN);
  await path.page.hangUp();
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (const [name, ids] of Object.entries(pids)) path.cpu[name] = (path.cpu[name] ?? 0) + (await cpuMs(ids)) - (before[name] ?? 0);
}

function summary(path: Path): string {
  const times = [...path.times].sort((a, b) => a - b);
  const p50 = times[Math.floor(times.length / 2)] ?? Number.NaN;
  const cpu = Object.entries(path.cpu).map(([name, ms]) => `${name} ${Math.round(ms / calls)}`);
  return `${path.name}: p50 ${p50.toFixed(0)} ms, max ${(times[times.length - 1] ?? Number.NaN).toFixed(0)} ms; CPU ms per call ${cpu.join(", ")}`;
}

beforeAll(async () => {
  facts = inject("scale");
  const signIn = await fetch(`${facts.apiUrl}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "sales@demo.example", password: "demo-sales" }) });
  token = ((await signIn.json()) as { token: string }).token;
  const config = await fetch(`${facts.apiUrl}/api/sip/config`, { headers: { authorization: `Bearer ${token}` } });
  sip = (await config.json()) as typeof sip;
});

afterAll(async () => {
  for (const page of pages) await page.stop();
});

describe("call setup through the SIP edge", () => {
  it(`measures ${calls} calls through Kamailio and ${calls} straight to the same Asterisk, interleaved`, { timeout: 300_000 }, async () => {
    const browser = await sharedBrowser();
    const edge = await BareSipPage.start(browser, sip);
    pages.push(edge);
    let pbx: ScalePbx | undefined;
    for (const candidate of facts.pbxs) if ((await scalePbxCli(candidate, "pjsip show contacts")).includes(sip.username)) pbx = candidate;
    if (pbx === undefined) throw new Error("the user registered nowhere");
    const direct = await BareSipPage.start(browser, { ...sip, wsUrl: `ws://${pbx.address}:8088/ws`, aor: `sip:${sip.username}@${pbx.address}` });
    pages.push(direct);
    const paths: Path[] = [
      { name: `through Kamailio (media ${facts.media})`, page: edge, times: [], cpu: {} },
      { name: `straight to ${pbx.name}`, page: direct, times: [], cpu: {} },
    ];
    // A first call of each page warms getUserMedia and the connections; it is not counted.
    for (const path of paths) await path.page.call(number).then(() => path.page.hangUp());
    // Interleaved, so the machine's load (shared with other work) weighs on both alike.
    const all = await processes();
    const pids = Object.fromEntries(Object.entries(pieces(pbx)).map(([name, match]) => [name, all.filter((p) => match(p.cmdline)).map((p) => p.pid)]));
    for (let i = 0; i < calls; i++) for (const path of paths) await callOnce(path, pids);
    for (const path of paths) console.log(`[scale] dial → established, ${calls} warm calls ${summary(path)}`);
    for (const path of paths) expect(path.times.every((ms) => ms > 0)).toBe(true);
  });
});
