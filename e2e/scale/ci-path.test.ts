import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { openAppAs, sharedBrowser } from "../support/browser";
import { sipConfigOf, startCompanySide, type CompanySide } from "../support/company-side";
import { FarEnd } from "../support/far-end";
import { seedLoadTestUsers } from "../../src-server/seed/load-test-users";
import { ensureScaleTopology, scalePbxCli, type ScaleFacts, type ScalePbx } from "../support/scale-topology";
import { scaleDb } from "./drills-support";
import { killDrill } from "./kill-drill";

// The scale path in the time CI gives it (scripts/test.sh): the app through HAProxy and
// Kamailio, two servers on PostgreSQL, two Asterisk. What the four full suites check on
// the single box, one case each: verification, a call presenting the verified number and
// charged once, a call after the WebSocket dropped, and a call after kill -9 of the
// Asterisk that holds the user's registration, killed with sipp calls up on it (the fault
// drill of drills.test.ts at CI size: each of those calls closed as interrupted, charged once).
const number = "+12015550123";
const sales = { email: "sales@demo.example", password: "demo-sales", name: "Sora Sales" };
let facts: ScaleFacts;
let side: CompanySide;
let farEnd: FarEnd;
let page: Page | undefined;
let killed: ScalePbx | null = null;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  facts = inject("scale");
  side = await startCompanySide("scale-path");
  farEnd = await FarEnd.start(await sharedBrowser(), side.farEnd);
});

afterAll(async () => {
  try {
    for (const context of contexts) await context.close().catch(() => undefined);
    await farEnd?.stop();
  } finally {
    // The killed Asterisk comes back for whatever runs next on this topology (and before the
    // company side puts every Asterisk's trunk back).
    if (killed !== null) await ensureScaleTopology();
    await side?.stop();
  }
});

/** The app signed in as sales, its softphone registered; one page for the whole file, opened by the first test that runs. */
async function app(): Promise<Page> {
  page ??= await openAppAs(side.host, contexts, sales);
  await registered(page);
  return page;
}

const registered = (p: Page) => expect.poll(() => p.getByTestId("registration").getAttribute("data-status"), { timeout: 20_000 }).toBe("registered");
const farEndCall = async (to: string) => (await farEnd.calls()).filter((c) => c.toUser === to).at(-1) ?? null;

type CallRow = { id: number; pbx_uniqueid: string; disposition: string; cost_micros: number | null; billed_seconds: number };
// The app user's own (the drill's sipp calls dial the same number).
const lastAnswered = async (): Promise<CallRow | undefined> =>
  (
    await side.rows<CallRow>(
      "select id, pbx_uniqueid, disposition, cost_micros, billed_seconds from calls where disposition = 'answered' and number = ? and user_id = (select id from users where email = ?) order by id desc limit 1",
      number,
      sales.email,
    )
  )[0];

/** A call from the app to the far end, talked over for ~2 s, hung up by the app; its server record once charged. */
async function callAndHangUp(page: Page, connectTimeoutMs = 15_000): Promise<CallRow> {
  const screenStatus = () => page.getByTestId("call-screen").getAttribute("data-status");
  const callStatus = () => page.getByTestId("call-status").textContent();
  const before = (await lastAnswered())?.id ?? 0;
  await farEnd.setAction({ kind: "answer", afterMs: 200 });
  await page.getByTestId("dial-number").fill(number);
  await page.getByRole("button", { name: "Call", exact: true }).click();
  await expect.poll(screenStatus, { timeout: connectTimeoutMs }).toBe("connected");
  await page.waitForTimeout(2_200);
  await page.getByRole("button", { name: "Hang up" }).click();
  await expect.poll(callStatus).toBe("Call ended");
  await page.getByRole("button", { name: "Done" }).click();
  await expect.poll(async () => ((await lastAnswered())?.id ?? 0) > before && (await lastAnswered())?.cost_micros !== null, { timeout: 20_000 }).toBe(true);
  const call = (await lastAnswered())!;
  // Both servers heard the CDR; the ledger has the call's cost once.
  const [charged] = await side.rows<{ total: number | null; entries: number }>(
    "select sum(amount_micros) as total, count(*) as entries from ledger_entries where kind = 'call_charge' and call_id = ?",
    call.id,
  );
  expect(call.cost_micros).toBeGreaterThan(0);
  expect(-Number(charged?.total ?? 0)).toBe(call.cost_micros);
  expect(call.billed_seconds).toBe(await side.billsec(call.pbx_uniqueid));
  return call;
}

/** The Asterisk whose registrar holds this user's contact. */
async function registrationsOf(username: string): Promise<ScalePbx[]> {
  const found: ScalePbx[] = [];
  for (const pbx of facts.pbxs) {
    if (pbx === killed) continue;
    if ((await scalePbxCli(pbx, "pjsip show contacts")).includes(username)) found.push(pbx);
  }
  return found;
}

const pbxOfUniqueid = (uniqueid: string) => facts.pbxs.find((pbx) => uniqueid.replace(/-\d+\.\d+$/, "").endsWith(`-${pbx.name}`));

describe("the scale path: HAProxy, two servers on PostgreSQL, Kamailio, two Asterisk", () => {
  it("verifies a number with a call from whichever Asterisk the server picks", async () => {
    const page = await app();
    await page.getByTestId("personal-entry").click();
    await page.getByTestId("connected-number").getByRole("button", { name: /^(Change|Connect a number)$/ }).click();
    await page.getByLabel("Country").selectOption("US");
    await page.getByTestId("personal-number").pressSequentially("2015550171");
    await expect.poll(() => page.getByTestId("personal-number-check").getAttribute("data-kind")).toBe("ok");
    await farEnd.setAction({ kind: "answer", afterMs: 300 }, "rfc4733");
    await page.getByRole("button", { name: "Receive verification call" }).click();
    await page.getByTestId("verification").waitFor();
    await expect.poll(async () => (await farEndCall("+12015550171"))?.connectionState, { timeout: 20_000 }).toBe("connected");
    const code = (await page.getByTestId("verification-code").textContent()) ?? "";
    expect(code).toMatch(/^[0-9]{6}$/);
    await farEnd.sendDtmf(`${code}#`, "rfc4733");
    await expect.poll(() => page.getByTestId("verification").getAttribute("data-state"), { timeout: 15_000 }).toBe("verified");
    await page.getByRole("button", { name: "Done" }).click();
    await expect.poll(() => page.getByTestId("connected-number").getAttribute("data-number")).toBe("+12015550171");
    await page.getByTestId("nav-phone").click();
    await registered(page);
  });

  it("places a call that presents the verified number, recorded and charged once though both servers hear it", async () => {
    await callAndHangUp(await app());
    expect(await farEndCall(number)).toMatchObject({ fromUser: "+12015550171" });
  });

  it("calls again after the WebSocket to Kamailio dropped and the app registered again", async () => {
    const page = await app();
    await side.cutSip();
    await expect.poll(() => page.getByTestId("registration").getAttribute("data-status"), { timeout: 5_000 }).toBe("reconnecting");
    await registered(page);
    await callAndHangUp(page);
  });

  it("calls through the other Asterisk after kill -9 of the one holding the registration; each call that one carried is closed as interrupted and charged once", async () => {
    const page = await app();
    const { username } = await sipConfigOf(side, sales.email, sales.password);
    const [home] = await registrationsOf(username);
    if (home === undefined) throw new Error(`no Asterisk holds a contact of ${username}`);
    const db = await scaleDb(facts);
    try {
      // Twelve callers hashed over two Asterisks: the chance that none lands on `home` is 1 in 4,096.
      const { users } = await seedLoadTestUsers(db, 12);
      await killDrill(facts, db, {
        live: users,
        liveSeconds: 30,
        host: 56,
        mediaPort: 38000,
        pickVictim: () => home,
        whileDown: async () => {
          killed = home;
          const killedAt = Date.now();
          // Kamailio tries the dead one for 3 s, then the next (the probes mark it ~6 s after).
          const call = await callAndHangUp(page, 20_000);
          console.log(`[scale] call after kill -9 of ${home.name}: on ${pbxOfUniqueid(call.pbx_uniqueid)?.name}, ${Date.now() - killedAt} ms after the kill (talk and charge included)`);
          expect(pbxOfUniqueid(call.pbx_uniqueid)).toBeDefined();
          expect(pbxOfUniqueid(call.pbx_uniqueid)).not.toBe(home);
        },
      });
      // The drill brought it back.
      killed = null;
    } finally {
      await db.destroy();
    }
  }, 240_000);
});
