// The power dialer's gap between calls: from "outcome saved" (the click on the outcome's Save: the core
// queues it and answers only after sending it to the server, while the queue dials on the local save) to
// the next queue call's INVITE arriving at the far end, through the real server (precheck, outbox,
// authorize), the real Asterisk and the app in Chromium. The yardstick, measured in the same run: a
// plain single call's click on Call → the far end's INVITE. p50 and p95 over the queue's calls and the
// ratio to the plain call (goal: ≤ 300 ms p50).
// Run: npm run bench -- power-dialer   (after `npm run build`; root, for the Asterisk chroot)
// POWER_DIALER_ITEMS (default 12) queue items, POWER_DIALER_PLAIN (default 8) plain calls.
import type { Page } from "playwright-core";
import { showScreen } from "../e2e/support/screens";
import { waitFor } from "../e2e/support/wait";
import { withCallBench } from "./call-bench-rig";
import { formatTable, median } from "./run";

const items = Number(process.env.POWER_DIALER_ITEMS ?? 12);
const plainCalls = Number(process.env.POWER_DIALER_PLAIN ?? 8);
const plainNumber = "+819012349999";
const queueNumber = (i: number) => `+8190123${String(5000 + i).padStart(5, "0")}`;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) throw new RangeError("percentile of nothing");
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Wall-clock times (ms since the epoch) of the page's clicks, so they compare with the far end's clock. */
async function watchClicks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { benchClicks: number[] };
    w.benchClicks = [];
    document.addEventListener("click", () => w.benchClicks.push(Date.now()), true);
  });
}
const lastClick = (page: Page) => page.evaluate(() => (window as unknown as { benchClicks: number[] }).benchClicks.at(-1) ?? Number.NaN);

await withCallBench("bench-dialer", async ({ rig, farEnd, salesToken, openApp }) => {
  const farEndCount = async () => (await farEnd.calls()).length;
  const farEndArrival = async (index: number) => (await farEnd.calls())[index]?.receivedAt ?? Number.NaN;

  for (let i = 0; i < items; i += 1) {
    const reply = await fetch(`${rig.server.url}/api/crm/people`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${salesToken}` },
      body: JSON.stringify({ name: `Bench ${String(i).padStart(2, "0")}`, phones: [{ number: queueNumber(i), label: "mobile" }] }),
    });
    if (!reply.ok) throw new Error(`adding a contact: ${reply.status} ${await reply.text()}`);
  }

  const app = await openApp();
  await watchClicks(app);
  const status = () => app.getByTestId("call-screen").getAttribute("data-status").catch(() => null);

  /** Hang up a connected call and save the first outcome; returns the wall-clock time of the Save click. */
  const hangUpAndSave = async (): Promise<number> => {
    await app.locator("button.hang-up").click();
    await app.getByTestId("call-outcome").waitFor({ timeout: 10_000 });
    await app.getByTestId("outcome-choice").first().locator("input").check();
    await app.getByTestId("call-outcome").locator("button[type=submit]").click();
    return lastClick(app);
  };

  const plain: number[] = [];
  const plainCall = async (): Promise<number> => {
    await showScreen(app, "phone");
    // The queue's last call leaves its ended screen up.
    if ((await status()) === "ended") await app.getByRole("button", { name: "Done" }).click();
    await app.getByTestId("dial-number").fill(plainNumber);
    const before = await farEndCount();
    await app.getByRole("button", { name: "Call", exact: true }).click();
    const clicked = await lastClick(app);
    await waitFor(farEndCount, (n) => n > before, 10_000, "plain call at the far end");
    const ringing = (await farEndArrival(before)) - clicked;
    await waitFor(status, (s) => s === "connected", 10_000, "plain call connected");
    await app.locator("button.hang-up").click();
    await waitFor(status, (s) => s === "ended", 10_000, "plain call ended");
    await app.getByRole("button", { name: "Done" }).click();
    return ringing;
  };

  // A warm-up call (first getUserMedia, first DTLS), then half the plain calls before the queue and half after.
  await plainCall();
  for (let i = 0; i < Math.ceil(plainCalls / 2); i += 1) plain.push(await plainCall());

  await showScreen(app, "contacts");
  await app.getByTestId("contact-search").fill("Bench ");
  await waitFor(() => app.getByTestId("contact-link").count(), (n) => n === items, 15_000, "the bench's contacts in the list");
  await app.getByTestId("queue-build").click();
  await app.getByTestId("dial-queue").waitFor({ timeout: 10_000 });
  await app.getByTestId("dial-queue-start").click();

  const gaps: number[] = [];
  for (let i = 0; i < items; i += 1) {
    await waitFor(status, (s) => s === "connected", 15_000, `queue call ${i + 1} connected`);
    // This call has reached the far end; the next cannot before this one's outcome is saved.
    const before = await farEndCount();
    const saved = await hangUpAndSave();
    if (i === items - 1) break;
    await waitFor(farEndCount, (n) => n > before, 15_000, `queue call ${i + 2} at the far end`);
    if ((await lastClick(app)) !== saved) throw new Error("a click came between Save and the next call");
    gaps.push((await farEndArrival(before)) - saved);
  }
  await waitFor(() => app.getByTestId("dial-queue").getAttribute("data-status"), (s) => s === "finished", 15_000, "the queue finished");
  if (gaps.some((v) => !Number.isFinite(v) || v < 0)) throw new Error(`a gap could not be measured: ${gaps.join(", ")}`);

  for (let i = Math.ceil(plainCalls / 2); i < plainCalls; i += 1) plain.push(await plainCall());

  const ms = (v: number) => `${v.toFixed(0)} ms`;
  const plainP50 = median(plain);
  console.log(`${gaps.length} queue gaps, ${plain.length} plain calls, on loopback:`);
  console.log(
    formatTable(
      ["", "p50", "p95", "p50 / plain call"],
      [
        ["power dialer: outcome saved → next call at the far end", ms(median(gaps)), ms(percentile(gaps, 95)), `${(median(gaps) / plainP50).toFixed(2)}×`],
        ["plain call: Call click → far end", ms(plainP50), ms(percentile(plain, 95)), "1.00×"],
      ],
    ),
  );
  console.log(`gaps (ms): ${gaps.map((v) => v.toFixed(0)).join(" ")}`);
  console.log(`goal: outcome saved → next ringing ≤ 300 ms p50: ${median(gaps) <= 300 ? "met" : "NOT met"}`);
});

