import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundPaths } from "../src-shared/server-api/inbound";
import { serverPaths } from "../src-shared/server-api/paths";
import { startApp, type RunningApp } from "./support/app";
import { sharedBrowser } from "./support/browser";
import { axeSerious, openScreens, photographSettled, showScreen, type ScreenSize } from "./support/screens";

// Company → Phone numbers through the app, the core and the real server: an
// admin sees the numbers and groups the server holds (one member away), adds
// a number in the UI that the server then has, and the tab is photographed
// in both languages at both sizes.
let app: RunningApp;
const contexts: BrowserContext[] = [];
const admin = { email: "admin@demo.example", password: "demo-admin" };
const sales = { email: "sales@demo.example", password: "demo-sales" };
const sizes: ScreenSize[] = [
  { width: 1100, height: 720 },
  { width: 1920, height: 1080 },
];

async function server(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(new URL(path, app.serverUrl), {
    method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

const signIn = async (credentials: { email: string; password: string }) => ((await server("POST", serverPaths.signIn, null, credentials)).json as { token: string; user: { id: number } });

beforeAll(async () => {
  app = await startApp({ hostArgs: ["--sign-in", `${admin.email}:${admin.password}`] });
  const [adminSession, salesSession] = [await signIn(admin), await signIn(sales)];
  const group = await server("POST", inboundPaths.groups, adminSession.token, { name: "Sales team", strategy: "round_robin", memberIds: [salesSession.user.id, adminSession.user.id] });
  expect(group.status, JSON.stringify(group.json)).toBe(200);
  const groupId = (group.json as { id: number }).id;
  for (const body of [
    { number: "+81355550100", label: "Main line", target: { groupId }, ringSeconds: 30 },
    { number: "+81355550101", label: "Sora direct", target: { userId: salesSession.user.id } },
  ]) {
    const added = await server("POST", inboundPaths.numbers, adminSession.token, body);
    expect(added.status, JSON.stringify(added.json)).toBe(200);
  }
  expect((await server("PUT", inboundPaths.availability, salesSession.token, { status: "away" })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await app?.stop();
});

describe("Company → Phone numbers", () => {
  it("an admin adds a number in the app and the company server has it", async () => {
    const { context, page } = await openScreens(await sharedBrowser(), app.host, { language: "en", theme: "light", size: sizes[0]!, user: admin });
    contexts.push(context);
    await showScreen(page, "company");
    await page.getByTestId("admin-tab-phoneNumbers").click();
    await page.getByTestId("inbound-admin").waitFor();
    expect(await page.getByTestId("inbound-number-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-number")))).toEqual(["+81355550100", "+81355550101"]);
    const statuses = await page.getByTestId("ring-group").first().getByTestId("member-availability").evaluateAll((badges) => badges.map((b) => b.getAttribute("data-status")));
    expect(statuses.sort()).toEqual(["available", "away"]);

    // A taken number is refused with what is wrong, and nothing is added.
    await page.getByTestId("inbound-new-number").fill("+81355550100");
    await page.getByTestId("inbound-new-target").selectOption({ label: "Group: Sales team" });
    await page.getByTestId("inbound-add-number-submit").click();
    await expect.poll(() => page.getByTestId("inbound-add-number").getByRole("alert").textContent(), { timeout: 10_000 }).toContain("already assigned");
    await page.getByTestId("inbound-new-number").fill("+81355550102");
    await page.getByTestId("inbound-new-label").fill("Support");
    await page.getByTestId("inbound-add-number-submit").click();
    await expect.poll(() => page.getByTestId("inbound-number-row").count(), { timeout: 10_000 }).toBe(3);
    const { token } = await signIn(admin);
    const numbers = (await server("GET", inboundPaths.numbers, token)).json as { numbers: { number: string; label: string; groupId: number | null }[] };
    expect(numbers.numbers.find((n) => n.number === "+81355550102")).toMatchObject({ label: "Support", groupId: expect.any(Number) as number });
  }, 120_000);

  // One case per picture: each opens its own signed-in app page, which takes a while on a loaded machine.
  for (const language of ["en", "ja"] as const) {
    for (const size of sizes) {
      it(`is photographed in ${language} at ${size.width}×${size.height}, with no layout or accessibility problem`, async () => {
        const options = { language, theme: "light" as const, size };
        const { context, page } = await openScreens(await sharedBrowser(), app.host, { ...options, user: admin });
        contexts.push(context);
        await showScreen(page, "company");
        await page.getByTestId("admin-tab-phoneNumbers").click();
        await page.getByTestId("ring-group").first().waitFor();
        expect(await photographSettled(page, "company-phone-numbers", options)).toEqual([]);
        expect(await axeSerious(page)).toEqual([]);
      }, 120_000);
    }
  }
});
