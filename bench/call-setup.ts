// Dial → ringing and dial → established through the real PBX to the JsSIP far end,
// for the app (real host + server, click on Call) and for a bare SIP.js page doing
// the same call with the same credentials, in the same run; p50 over the calls and
// the ratio app / bare (target ≤ 1.1×).
// Run: npm run bench -- call-setup   (needs `npm run build` first; root, for the Asterisk chroot)
import { serverPaths } from "../src-shared/server-api/paths";
import { SipConfig } from "../src-shared/server-api/sip";
import { BareSipPage } from "../e2e/support/bare-sipjs";
import { waitFor } from "../e2e/support/wait";
import { withCallBench } from "./call-bench-rig";
import { formatTable, median } from "./run";

const calls = Number(process.env.CALL_BENCH_CALLS ?? 10);
const number = "+12015550123";

await withCallBench("bench", async ({ browser, rig, salesToken, openApp }) => {
  // The bare page registers as the same user's endpoint, with credentials from the same server route.
  const sip = SipConfig.parse(await (await fetch(`${rig.server.url}${serverPaths.sipConfig}`, { headers: { authorization: `Bearer ${salesToken}` } })).json());
  const bare = await BareSipPage.start(browser, { wsUrl: sip.wsUrl, aor: sip.aor, username: sip.username, password: sip.password });

  const app = await openApp();
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
  await bare.stop();
});
