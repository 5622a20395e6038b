import { createHash } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverPaths } from "../src-shared/server-api/paths";
import { inboundPaths } from "../src-shared/server-api/inbound";
import { sharedBrowser } from "./support/browser";
import { demoCredentials } from "../src-server/seed/demo";
import { startAppRig, type AppRig } from "./support/call-rig";
import { callScreenSizes, openScreens, photographSettled, showScreen, type ScreenLanguage } from "./support/screens";
import { startSmtpCapture, type SmtpCapture } from "../src-server/mail/testing/smtp-capture";

// Incoming calls through the real Asterisk: the JsSIP far end dials the company's number
// into [from-trunk] as the phone network would, the server says whom to ring, and the
// app (real Chromium, SIP.js) rings with the caller's contact from the local CRM mirror.
const companyNumber = "+81355550100";
// Jane Cooper's number in the demo seed (with the deal "Acme annual licence").
const knownCaller = "+12015550123";
const unknownCaller = "+12015550999";
const sizes = callScreenSizes;
const theme = "light";
const { sales, admin } = demoCredentials;

let rig: AppRig;
// The company's mail server: the voicemail email of a real call lands here.
let smtp: SmtpCapture;

async function serverJson(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(new URL(path, rig.base.server.url), {
    method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

const serverCall = (uniqueNumber: string) =>
  rig.serverRow<{ direction: string; disposition: string; voicemail: number; inbound_number: string | null; user_id: number; cost_micros: number | null; recording_id: number | null }>(
    "select c.direction, c.disposition, c.voicemail, c.inbound_number, c.user_id, c.cost_micros, (select r.id from recordings r where r.call_id = c.id) as recording_id from calls c where c.number = ? order by c.id desc",
    uniqueNumber,
  );

beforeAll(async () => {
  smtp = await startSmtpCapture();
  rig = await startAppRig("inbound", { serverArgs: ["--smtp", `${smtp.host}:${smtp.port}`] });
  const signIn = await serverJson("POST", serverPaths.signIn, null, admin);
  expect(signIn.status).toBe(200);
  const token = (signIn.json as { token: string }).token;
  const salesId = rig.serverRow<{ id: number }>("select id from users where email = ?", sales.email)!.id;
  const added = await serverJson("POST", inboundPaths.numbers, token, { number: companyNumber, label: "Sales line", target: { userId: salesId }, ringSeconds: 25 });
  expect(added.status, JSON.stringify(added.json)).toBe(200);
}, 120_000);

afterAll(async () => {
  try {
    await rig?.stop();
  } finally {
    await smtp?.close();
  }
});

async function open(language: ScreenLanguage): Promise<Page> {
  // One app per case: an earlier case's app, still signed in, would ring too.
  for (const context of rig.contexts.splice(0)) await context.close();
  const { context, page } = await openScreens(await sharedBrowser(), rig.base.host, { language, theme, size: sizes[0]!, user: sales });
  rig.contexts.push(context);
  await expect.poll(() => page.getByTestId("registration").getAttribute("data-state"), { timeout: 15_000 }).toBe("ready");
  return page;
}

async function shoot(page: Page, name: string, language: ScreenLanguage): Promise<void> {
  for (const size of sizes) {
    await page.setViewportSize(size);
    expect(await photographSettled(page, name, { language, theme, size }), `${name} ${language} ${size.width}×${size.height}`).toEqual([]);
  }
}

describe("incoming calls", () => {
  it("a call to the company's number rings the app with the caller's contact before answer; answering connects audio both ways; it is not charged", async () => {
    const page = await open("en");
    await rig.farEnd.call(companyNumber, knownCaller);
    await page.getByTestId("incoming-call").waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId("call-contact-name").textContent(), { timeout: 5_000 }).toBe("Jane Cooper");
    expect(await page.getByTestId("incoming-did").textContent()).toContain(companyNumber);
    await shoot(page, "incoming-call-known", "en");

    await page.getByTestId("incoming-answer").click();
    await expect.poll(() => page.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
    await expect.poll(async () => (await rig.farEnd.lastCall())?.status, { timeout: 5_000 }).toBe("answered");
    // The app's microphone reaches the caller, and the caller's reaches the app (the far end sends, the PBX bridges).
    await expect.poll(async () => (await rig.farEnd.media()).packetsReceived, { timeout: 10_000 }).toBeGreaterThan(20);
    await expect.poll(async () => (await rig.farEnd.media()).inboundAudioLevel, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await rig.farEnd.media()).packetsSent, { timeout: 10_000 }).toBeGreaterThan(20);
    // The app's call audio element lives outside the document: its receive statistics say what it hears.
    const quality = page.getByTestId("call-quality");
    await expect.poll(async () => Number(await quality.getAttribute("data-packets-received")), { timeout: 10_000 }).toBeGreaterThan(20);
    await expect.poll(async () => Number(await quality.getAttribute("data-inbound-level")), { timeout: 10_000 }).toBeGreaterThan(0);

    await rig.farEnd.hangUp();
    await expect.poll(() => serverCall(knownCaller)?.disposition, { timeout: 20_000 }).toBe("answered");
    expect(serverCall(knownCaller)).toMatchObject({ direction: "inbound", inbound_number: companyNumber, voicemail: 0 });
    // Not charged: the tariff prices the numbers a company dials.
    expect(serverCall(knownCaller)?.cost_micros ?? 0).toBe(0);
  }, 120_000);

  it("an answered call is transferred blind to a number: the app offers teammates and a number, and is free at once, the caller reaches the number, and that leg is the user's charged call", async () => {
    const caller = "+12015550161";
    const third = "+12015550162";
    const page = await open("en");
    await rig.farEnd.call(companyNumber, caller);
    await page.getByTestId("incoming-call").waitFor({ timeout: 10_000 });
    await page.getByTestId("incoming-answer").click();
    await expect.poll(() => page.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
    await page.getByTestId("transfer").click();
    await page.getByTestId("transfer-panel").waitFor();
    // Teammates are offered too; a number is the first choice.
    expect(await page.getByTestId("transfer-teammate").inputValue()).toBe("");
    await page.getByTestId("transfer-number").fill(third);
    await page.getByTestId("transfer-blind").click();
    await expect.poll(() => page.getByTestId("call-screen").getAttribute("data-status"), { timeout: 5_000 }).toBe("ended");
    await expect.poll(async () => (await rig.farCall(third))?.status, { timeout: 10_000 }).toBe("answered");
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    // The third party (the far end's latest session) hangs up: the leg ends, and with it the caller's line.
    await rig.farEnd.hangUp();
    await expect.poll(() => serverCall(third)?.cost_micros ?? 0, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(serverCall(third)).toMatchObject({ direction: "outbound", disposition: "answered" });
    await expect.poll(() => serverCall(caller)?.disposition, { timeout: 20_000 }).toBe("answered");
    expect(serverCall(caller)).toMatchObject({ direction: "inbound", cost_micros: null, inbound_number: companyNumber });
  }, 120_000);

  it("an answered call is transferred blind to a teammate: their app rings with who transferred it and the caller, answers and hears the caller; the leg is their uncharged received call", async () => {
    const caller = "+12015550163";
    const page = await open("en");
    const other = await openScreens(await sharedBrowser(), await rig.secondHost(), { language: "en", theme, size: sizes[0]!, user: admin });
    rig.contexts.push(other.context);
    await expect.poll(() => other.page.getByTestId("registration").getAttribute("data-state"), { timeout: 30_000 }).toBe("ready");
    await rig.farEnd.call(companyNumber, caller);
    await page.getByTestId("incoming-call").waitFor({ timeout: 10_000 });
    await page.getByTestId("incoming-answer").click();
    await expect.poll(() => page.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
    await page.getByTestId("transfer").click();
    const picker = page.getByTestId("transfer-teammate");
    await expect.poll(() => picker.locator("option").allTextContents(), { timeout: 10_000 }).toContain("Aiko Admin (available)");
    const adminId = rig.serverRow<{ id: number }>("select id from users where email = ?", admin.email)!.id;
    await picker.selectOption(String(adminId));
    await page.getByTestId("transfer-blind").click();
    await expect.poll(() => page.getByTestId("call-screen").getAttribute("data-status"), { timeout: 5_000 }).toBe("ended");

    await other.page.getByTestId("incoming-call").waitFor({ timeout: 10_000 });
    expect(await other.page.getByTestId("incoming-transferred-by").textContent()).toBe("Transferred by Sora Sales");
    await other.page.getByTestId("incoming-answer").click();
    await expect.poll(() => other.page.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("connected");
    const quality = other.page.getByTestId("call-quality");
    await expect.poll(async () => Number(await quality.getAttribute("data-packets-received")), { timeout: 10_000 }).toBeGreaterThan(20);
    await expect.poll(async () => Number(await quality.getAttribute("data-inbound-level")), { timeout: 10_000 }).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    await rig.farEnd.hangUp();
    await expect.poll(() => other.page.getByTestId("call-screen").getAttribute("data-status"), { timeout: 10_000 }).toBe("ended");
    const salesId = rig.serverRow<{ id: number }>("select id from users where email = ?", sales.email)!.id;
    const records = () => rig.serverRows<{ user_id: number; transferred_by: string | null; disposition: string; cost_micros: number | null }>("select user_id, transferred_by, disposition, cost_micros from calls where number = ? order by id", caller);
    await expect.poll(() => records().map((r) => r.disposition), { timeout: 20_000 }).toEqual(["answered", "answered"]);
    expect(records()).toEqual([
      { user_id: salesId, transferred_by: null, disposition: "answered", cost_micros: null },
      { user_id: adminId, transferred_by: "Sora Sales", disposition: "answered", cost_micros: null },
    ]);
    expect(rig.serverRows("select t.mode, t.to_user_id from call_transfers t join calls c on c.id = t.call_id where c.number = ?", caller)).toEqual([{ mode: "blind", to_user_id: adminId }]);
  }, 120_000);

  it("a call nobody answers leaves a voicemail: history shows it missed, with its recording, and the user gets it by email", async () => {
    const page = await open("en");
    await rig.farEnd.call(companyNumber, unknownCaller);
    await page.getByTestId("incoming-call").waitFor({ timeout: 10_000 });
    await page.getByTestId("incoming-unknown").waitFor();
    await shoot(page, "incoming-call-unknown", "en");
    // Create contact, while it rings: the number is filled in; the contact reaches the company server.
    await page.getByTestId("incoming-create-contact-open").click();
    expect(await page.getByTestId("incoming-create-contact-number").inputValue()).toBe(unknownCaller);
    await page.getByTestId("incoming-create-contact-name").fill("Taro Yamada");
    await shoot(page, "incoming-create-contact", "en");
    await page.getByTestId("incoming-create-contact-save").click();
    await expect.poll(() => page.getByTestId("incoming-create-contact-done").textContent(), { timeout: 10_000 }).toContain("Taro Yamada");
    const created = rig.serverRow<{ name: string; label: string }>(
      "select p.name, f.label from crm_people p join crm_phones f on f.owner_kind = 'person' and f.owner_id = p.id where f.number = ?",
      unknownCaller,
    );
    expect(created).toEqual({ name: "Taro Yamada", label: "work" });
    // Not answered within the number's 25 s: the greeting, the beep, then the caller speaks (the fake microphone's tone).
    await page.getByTestId("incoming-call").waitFor({ state: "detached", timeout: 35_000 });
    await expect.poll(async () => (await rig.farEnd.lastCall())?.status, { timeout: 5_000 }).toBe("answered");
    // vm-intro alone plays for 5.7 s before Record starts (Asterisk's log): a hang-up 6 s after the answer
    // raced it and often left no message at all. 10 s leaves the caller about 4 s of speech after the beep.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await rig.farEnd.hangUp();
    await expect.poll(() => serverCall(unknownCaller)?.voicemail, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => serverCall(unknownCaller)?.recording_id ?? null, { timeout: 30_000 }).not.toBeNull();
    expect(serverCall(unknownCaller)).toMatchObject({ direction: "inbound", disposition: "no_answer" });
    // Emailed to the number's user, in the company's language (Sora has chosen none), naming the contact made while it rang.
    const mail = await smtp.waitFor((m) => m.to.includes(sales.email) && m.subject.includes("Taro Yamada"), 20_000);
    expect(mail.subject).toMatch(/^Taro Yamada \(\+1 201 555 0999\) からのボイスメール（\d+ 秒）$/);
    expect(mail.text).toContain("Sales line 03-5555-0100");
    expect(mail.text).toContain("（Asia/Tokyo）");
    const stored = rig.serverRow<{ size_bytes: number; sha256: string }>("select size_bytes, sha256 from recordings where id = ?", serverCall(unknownCaller)!.recording_id);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!.content.length).toBe(stored!.size_bytes);
    expect(createHash("sha256").update(mail.attachments[0]!.content).digest("hex")).toBe(stored!.sha256);
    await showScreen(page, "history");
    await expect.poll(() => page.getByTestId("history-item").first().locator("[data-direction]").getAttribute("data-direction"), { timeout: 20_000 }).toBe("missed");
  }, 120_000);

  it("the Japanese screen pop and the away switch: away, the app is not rung", async () => {
    const page = await open("ja");
    await rig.farEnd.call(companyNumber, knownCaller);
    await page.getByTestId("incoming-call").waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId("call-contact-name").textContent(), { timeout: 5_000 }).toBe("Jane Cooper");
    await shoot(page, "incoming-call-known", "ja");
    await page.getByTestId("incoming-decline").click();
    await page.getByTestId("incoming-call").waitFor({ state: "detached", timeout: 5_000 });
    await rig.farEnd.hangUp();

    await page.getByTestId("availability-switch").click();
    await expect.poll(() => page.getByTestId("availability").getAttribute("data-status"), { timeout: 5_000 }).toBe("away");
    await shoot(page, "availability-away", "ja");
    const before = (await rig.farEnd.calls()).length;
    await rig.farEnd.call(companyNumber, knownCaller);
    // Away: straight to voicemail, the app never rings.
    await expect.poll(async () => (await rig.farEnd.calls()).at(before)?.status, { timeout: 15_000 }).toBe("answered");
    expect(await page.getByTestId("incoming-call").count()).toBe(0);
    await rig.farEnd.hangUp();
    await page.getByTestId("availability-switch").click();
    await expect.poll(() => page.getByTestId("availability").getAttribute("data-status"), { timeout: 5_000 }).toBe("available");
  }, 120_000);
});
