// Dial → ringing and dial → established through the real PBX to the JsSIP far end,
// for the app (real host + server, click on Call) and for a bare SIP.js page doing
// the same call with the same credentials, in the same run; p50 over the calls and
// the ratio app / bare (target ≤ 1.1×).
// Run: npm run bench -- call-setup   (needs `npm run build` first; root, for the Asterisk chroot)
import { chromium as playwright } from "playwright-core";
import { SignInReply } from "../src-shared/server-api/auth";
import { serverPaths } from "../src-shared/server-api/paths";
import { SipConfig } from "../src-shared/server-api/sip";
import { demoCredentials } from "../src-server/seed/demo";
import { startChromium } from "../e2e/support/chromium";
import { BareSipPage } from "../e2e/support/bare-sipjs";
import { startCallRig } from "../e2e/support/call-app";
import { startSharedPbx } from "../e2e/support/shared-pbx";
import { FarEnd } from "../e2e/support/far-end";
import { waitFor } from "../e2e/support/wait";
import { formatTable, median } from "./run";

const calls = Number(process.env.CALL_BENCH_CALLS ?? 10);
const number = "+12015550123";

const chromiumProcess = await startChromium();
const pbx = await startSharedPbx();
const rig = await startCallRig("bench", { ...pbx.shared, facts: pbx.instance.facts });
try {
  const browser = await playwright.connectOverCDP(chromiumProcess.wsEndpoint);
  const farEnd = await FarEnd.start(browser, { wsUrl: rig.pbx.facts.wsUrl, uri: "sip:far-end@127.0.0.1", password: rig.farEndPassword });
  await farEnd.setAction({ kind: "answer", afterMs: 0 });

  // The bare page registers as the same user's endpoint, with credentials from the same server route.
  const { email, password } = demoCredentials.sales;
  const signIn = SignInReply.parse(await (await fetch(`${rig.server.url}${serverPaths.signIn}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) })).json());
  const sip = SipConfig.parse(await (await fetch(`${rig.server.url}${serverPaths.sipConfig}`, { headers: { authorization: `Bearer ${signIn.token}` } })).json());
  const bare = await BareSipPage.start(browser, { wsUrl: sip.wsUrl, aor: sip.aor, username: sip.username, password: sip.password });

  const context = await browser.newContext({ locale: "en-US" });
  const app = await context.newPage();
  await app.goto(await rig.host.launchUrl());
  await app.getByLabel("Email").fill(email);
  await app.getByLabel("Password").fill(password);
  await app.getByRole("button", { name: "Sign in" }).click();
  await waitFor(() => app.getByTestId("registration").getAttribute("data-status"), (s) => s === "registered", 15_000, "app registration");
  await app.getByTestId("dial-number").fill(number);

  const appCall = async (): Promise<{ ringing: number; established: number }> => {
    await app.evaluate(() => performance.clearMarks());
    await app.getByRole("button", { name: "Call", exact: true }).click();
    await waitFor(() => app.getByTestId("call-screen").getAttribute("data-status"), (s) => s === "connected", 10_000, "app call connected");
    const marks = await app.evaluate(() => Object.fromEntries(performance.getEntriesByType("mark").map((m) => [m.name, m.startTime])));
    await app.getByRole("button", { name: "Hang up" }).click();
    await waitFor(() => app.getByTestId("call-screen").getAttribute("data-status"), (s) => s === "ended", 10_000, "app call ended");
    await app.getByRole("button", { name: "Done" }).click();
    const dial = marks["caller:dial"] ?? Number.NaN;
    return { ringing: (marks["caller:ringing"] ?? Number.NaN) - dial, established: (marks["caller:established"] ?? Number.NaN) - dial };
  };
  const bareCall = async (): Promise<{ ringing: number; established: number }> => {
    const timing = await bare.call(number);
    await bare.hangUp();
    if (timing.establishedMs === null) throw new Error(`bare call failed: ${timing.failedStatus}`);
    return { ringing: timing.ringingMs ?? Number.NaN, established: timing.establishedMs };
  };

  const results = { app: [] as Array<{ ringing: number; established: number }>, bare: [] as Array<{ ringing: number; established: number }> };
  // One warm-up call each (first getUserMedia, first DTLS), then alternate who goes first.
  await appCall();
  await bareCall();
  for (let i = 0; i < calls; i += 1) {
    const order = i % 2 === 0 ? (["app", "bare"] as const) : (["bare", "app"] as const);
    for (const who of order) {
      results[who].push(who === "app" ? await appCall() : await bareCall());
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  const p50 = (who: "app" | "bare", key: "ringing" | "established") => median(results[who].map((r) => r[key]));
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  console.log(`${calls} calls each on loopback (p50):`);
  console.log(
    formatTable(
      ["", "dial → ringing", "dial → established"],
      [
        ["app (host + React + Phone)", ms(p50("app", "ringing")), ms(p50("app", "established"))],
        ["bare SIP.js page", ms(p50("bare", "ringing")), ms(p50("bare", "established"))],
        ["ratio app / bare", `${(p50("app", "ringing") / p50("bare", "ringing")).toFixed(2)}×`, `${(p50("app", "established") / p50("bare", "established")).toFixed(2)}×`],
      ],
    ),
  );
  await context.close();
  await bare.stop();
  await farEnd.stop();
} finally {
  await rig.stop();
  await pbx.instance.stop({ purge: true });
  await chromiumProcess.stop();
}
