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

/** utime + stime in ms of every process whose command line contains `match`. */
async function cpuMs(match: (cmdline: string) => boolean): Promise<number> {
  let ticks = 0;
  for (const pid of (await readdir("/proc")).filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8")).replaceAll("\0", " ");
      if (!match(cmdline)) continue;
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
});

async function measure(page: BareSipPage, pbx: ScalePbx): Promise<{ p50: number; max: number; cpu: Record<string, number> }> {
  const before: Record<string, number> = {};
  for (const [name, match] of Object.entries(pieces(pbx))) before[name] = await cpuMs(match);
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const timing = await page.call(number);
    expect(timing).toMatchObject({ failedStatus: null });
    times.push(timing.establishedMs ?? Number.NaN);
    await page.hangUp();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const cpu: Record<string, number> = {};
  for (const [name, match] of Object.entries(pieces(pbx))) cpu[name] = Math.round(((await cpuMs(match)) - (before[name] ?? 0)) / calls);
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)] ?? Number.NaN, max: times[times.length - 1] ?? Number.NaN, cpu };
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
  it(`measures ${calls} calls through Kamailio and ${calls} straight to the same Asterisk`, async () => {
    const browser = await sharedBrowser();
    const edge = await BareSipPage.start(browser, sip);
    pages.push(edge);
    let pbx: ScalePbx | undefined;
    for (const candidate of facts.pbxs) if ((await scalePbxCli(candidate, "pjsip show contacts")).includes(sip.username)) pbx = candidate;
    if (pbx === undefined) throw new Error("the user registered nowhere");
    // A first call of each page warms getUserMedia and the connections; it is not counted.
    await edge.call(number).then(() => edge.hangUp());
    const viaEdge = await measure(edge, pbx);
    await edge.stop();

    const direct = await BareSipPage.start(browser, { ...sip, wsUrl: `ws://${pbx.address}:8088/ws`, aor: `sip:${sip.username}@${pbx.address}` });
    pages.push(direct);
    await direct.call(number).then(() => direct.hangUp());
    const straight = await measure(direct, pbx);
    console.log(`[scale] dial → established over ${calls} warm calls, p50 (max): through Kamailio ${viaEdge.p50.toFixed(0)} ms (${viaEdge.max.toFixed(0)}), straight to ${pbx.name} ${straight.p50.toFixed(0)} ms (${straight.max.toFixed(0)})`);
    console.log(`[scale] CPU ms per call through Kamailio ${JSON.stringify(viaEdge.cpu)}, straight ${JSON.stringify(straight.cpu)}`);
    expect(viaEdge.p50).toBeGreaterThan(0);
    expect(straight.p50).toBeGreaterThan(0);
  });
});
