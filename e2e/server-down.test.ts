import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { chooseLanguage, openAppAs } from "./support/browser";
import { startCallRig, type CallRig } from "./support/call-app";

// The company server stops mid-session: the PBX can no longer look up the user's endpoint or authorize calls.
let rig: CallRig;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  rig = await startCallRig("server-down");
});

afterAll(async () => {
  try {
    for (const context of contexts) await context.close().catch(() => undefined);
  } finally {
    await rig?.stop();
  }
});

const callStatus = (page: Page) => page.getByTestId("call-status").textContent();

async function dial(page: Page, text: string): Promise<void> {
  await page.getByTestId("dial-number").fill(text);
  await page.getByRole("button", { name: /^(Call|発信)$/ }).click();
}

describe("a call while the company server is down", () => {
  it("says the company server cannot be reached, in English and Japanese, and never asks to sign in again", async () => {
    const page = await openAppAs(rig.host, contexts, { email: "sales@demo.example", password: "demo-sales", name: "Sora Sales" });
    await expect.poll(() => page.getByTestId("registration").getAttribute("data-status"), { timeout: 15_000 }).toBe("registered");

    await rig.server.stop();
    await dial(page, "+1 201 555 0123");
    await expect.poll(() => callStatus(page), { timeout: 20_000 }).toMatch(/^Call failed/);
    expect(await callStatus(page)).toBe("Call failed: the company server cannot be reached. Try again once it is back.");
    expect(await page.textContent("body")).not.toMatch(/sign in again/i);

    await page.getByRole("button", { name: "Done" }).click();
    await chooseLanguage(page, "ja");
    await dial(page, "+1 201 555 0123");
    await expect.poll(() => callStatus(page), { timeout: 20_000 }).toMatch(/^発信できませんでした/);
    expect(await callStatus(page)).toBe("発信できませんでした: 会社のサーバーに接続できません。復旧してからもう一度お試しください。");
    expect(await page.textContent("body")).not.toContain("もう一度サインイン");

    // The phone's connection drops and comes back. The PBX may still take its REGISTER from its endpoint cache (for up
    // to a minute) or refuse it: one phone state either way, reconnecting because of the server, with Retry.
    await page.getByRole("button", { name: "閉じる" }).click();
    rig.wsProxy.cutAll();
    const registration = page.getByTestId("registration");
    await expect.poll(() => registration.getAttribute("data-state"), { timeout: 20_000 }).toBe("reconnecting");
    expect(await registration.textContent()).toContain("会社のサーバーに接続できません。復旧しだい発信できるようになります。");
    expect(await page.getByTestId("phone-state-action").textContent()).toBe("再試行");
    expect(await page.textContent("body")).not.toContain("もう一度サインイン");
  });
});
