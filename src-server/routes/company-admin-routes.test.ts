import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChangesReply } from "../../src-shared/server-api/changes";
import type { CompanyUser, CompanyUsersReply, InviteReply, LoggedOutcome, Outcome, OutcomesReply } from "../../src-shared/server-api/company-admin";
import { buildServer } from "../build-server";
import { smtpMailer } from "../mail/mailer";
import { startSmtpCapture, type SmtpCapture } from "../mail/testing/smtp-capture";
import { seedDemo } from "../seed/demo";
import { openSqliteTestDb, type TestDb } from "../test-support/test-db";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";

const linkIn = (text: string): string => {
  const link = /http:\/\/\S+\/invite\/[A-Za-z0-9_-]{43}/.exec(text)?.[0];
  if (link === undefined) throw new Error(`no invitation link in: ${text}`);
  return link;
};
const pathOf = (link: string): string => new URL(link).pathname;
const form = (fields: Record<string, string>) => ({ payload: new URLSearchParams(fields).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });

describe("company admin routes", () => {
  let server: TestServer;
  let admin: string;
  let sales: string;
  let other: string;
  beforeEach(async () => {
    server = await startTestServer();
    [admin, sales, other] = await Promise.all([
      server.sessionFor(demoCredentials.admin),
      server.sessionFor(demoCredentials.sales),
      server.sessionFor(demoCredentials.otherAdmin),
    ]);
  });
  afterEach(async () => {
    await server.close();
  });

  const send = (method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, token: string, payload?: object) =>
    server.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });
  const users = async (token = admin) => (await send("GET", "/api/admin/company/users", token)).json<CompanyUsersReply>().users;
  const userByEmail = async (email: string): Promise<CompanyUser | undefined> => (await users()).find((u) => u.email === email);

  describe("users and invitations", () => {
    it("shows each user's Caller status: connected with a verified number, add after revoke", async () => {
      expect((await users()).map((u) => [u.email, u.status])).toEqual([
        ["admin@demo.example", "connected"],
        ["sales@demo.example", "connected"],
      ]);
      const salesId = (await userByEmail("sales@demo.example"))!.id;
      expect((await send("POST", `/api/admin/users/${salesId}/caller`, admin, { enabled: false })).statusCode).toBe(200);
      expect((await userByEmail("sales@demo.example"))?.status).toBe("add");
    });

    it("invites by email without a mailer: the admin gets the link, the user accepts once and signs in as not connected", async () => {
      const reply = await send("POST", "/api/admin/invitations", admin, { email: "  New.Person@Demo.Example ", name: "New Person" });
      expect(reply.statusCode, reply.body).toBe(200);
      const invited = reply.json<InviteReply>();
      expect(invited).toMatchObject({ emailed: false, delivery: "no_mail_server", user: { email: "new.person@demo.example", role: "regular", status: "not_connected", active: false, callerEnabled: true } });
      expect((await userByEmail("new.person@demo.example"))?.invitation?.delivery).toBe("no_mail_server");
      expect(invited.user.invitation?.expiresAt).toBe(server.clock.now + 7 * 24 * 3600 * 1000);
      const path = pathOf(invited.link!);

      expect((await server.app.inject({ method: "POST", url: "/api/auth/sign-in", payload: { email: "new.person@demo.example", password: "" } })).statusCode).not.toBe(200);
      const page = await server.app.inject({ method: "GET", url: path });
      expect(page.statusCode).toBe(200);
      expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
      expect(page.body).toContain("new.person@demo.example");

      expect((await server.app.inject({ method: "POST", url: path, ...form({ name: "Nina", password: "short" }) })).statusCode).toBe(400);
      const accepted = await server.app.inject({ method: "POST", url: path, ...form({ name: "Nina New", password: "a-good-password" }) });
      expect(accepted.statusCode, accepted.body).toBe(200);
      expect(accepted.body).toContain("invite-accepted");
      expect((await server.app.inject({ method: "POST", url: path, ...form({ name: "Mallory", password: "another-password" }) })).statusCode).toBe(410);

      const token = await server.signIn({ email: "new.person@demo.example", password: "a-good-password" });
      expect(token).toBeTruthy();
      expect(await userByEmail("new.person@demo.example")).toMatchObject({ name: "Nina New", status: "not_connected", active: true, invitation: null, acceptedAt: server.clock.now });
      expect(await server.db("pbx_endpoints").where({ user_id: invited.user.id }).whereNull("revoked_at")).toHaveLength(1);
    });

    it("a re-invitation replaces the link, a cancelled one removes the never-active user, and an expired link is refused", async () => {
      const first = (await send("POST", "/api/admin/invitations", admin, { email: "late@demo.example" })).json<InviteReply>();
      const second = await send("POST", `/api/admin/users/${first.user.id}/invitation`, admin);
      expect(second.statusCode, second.body).toBe(200);
      const secondLink = second.json<InviteReply>().link!;
      expect((await server.app.inject({ method: "GET", url: pathOf(first.link!) })).statusCode).toBe(410);
      expect((await server.app.inject({ method: "GET", url: pathOf(secondLink) })).statusCode).toBe(200);

      server.clock.now += 7 * 24 * 3600 * 1000;
      const expired = await server.app.inject({ method: "GET", url: pathOf(secondLink) });
      expect(expired.statusCode).toBe(410);
      expect(expired.body).toContain("expired");

      expect((await send("DELETE", `/api/admin/users/${first.user.id}/invitation`, admin)).statusCode).toBe(200);
      expect(await userByEmail("late@demo.example")).toBeUndefined();
      expect(await server.db("pbx_endpoints").where({ user_id: first.user.id }).whereNull("revoked_at")).toHaveLength(0);
    });

    it("refuses to invite someone who already uses Caller, here or in another company, and to cancel an active user", async () => {
      const taken = await send("POST", "/api/admin/invitations", admin, { email: "sales@demo.example" });
      expect([taken.statusCode, taken.json<{ reason?: string }>().reason]).toEqual([409, "email_taken"]);
      expect((await send("POST", "/api/admin/invitations", admin, { email: "admin@other.example" })).statusCode).toBe(409);
      expect((await send("POST", "/api/admin/invitations", admin, { email: "not-an-email" })).statusCode).toBe(400);
      const salesId = (await userByEmail("sales@demo.example"))!.id;
      const accepted = await send("DELETE", `/api/admin/users/${salesId}/invitation`, admin);
      expect([accepted.statusCode, accepted.json<{ reason?: string }>().reason]).toEqual([409, "invitation_already_accepted"]);
      expect((await send("DELETE", `/api/admin/users/${salesId}/invitation`, other)).statusCode).toBe(404);
    });

    it("an unknown or malformed token gets the problem page, not an error", async () => {
      expect((await server.app.inject({ method: "GET", url: "/invite/nope" })).statusCode).toBe(410);
      expect((await server.app.inject({ method: "GET", url: `/invite/${"A".repeat(43)}` })).statusCode).toBe(410);
    });
  });

  describe("call outcomes", () => {
    const adminOutcomes = async () => (await send("GET", "/api/admin/outcomes", admin)).json<OutcomesReply>();
    const create = (name: string, token = admin) => send("POST", "/api/admin/outcomes", token, { name });

    it("starts with the five defaults, keyed for translation", async () => {
      const { outcomes, required } = await adminOutcomes();
      expect(required).toBe(false);
      expect(outcomes.map((o) => [o.key, o.name, o.enabled])).toEqual([
        ["connected", null, true],
        ["no_answer", null, true],
        ["busy", null, true],
        ["left_voicemail", null, true],
        ["wrong_number", null, true],
      ]);
    });

    it("creates trimmed, unique (case-insensitive), 1–60 character names; renames, disables, deletes and reorders", async () => {
      const demo = await create("  Demo booked ");
      expect(demo.statusCode, demo.body).toBe(200);
      const booked = demo.json<Outcome>();
      expect(booked).toMatchObject({ name: "Demo booked", key: null, enabled: true, position: 5 });
      const clash = await create("demo BOOKED");
      expect([clash.statusCode, clash.json<object>()]).toMatchObject([409, { code: "conflict", reason: "outcome_name_taken", params: { name: "Demo booked" } }]);
      expect((await create("busy")).statusCode).toBe(409);
      expect((await create("")).statusCode).toBe(400);
      expect((await create("   ")).statusCode).toBe(400);
      expect((await create("x".repeat(61))).statusCode).toBe(400);
      expect((await create("x".repeat(60))).statusCode).toBe(200);

      const renamed = await send("PATCH", `/api/admin/outcomes/${booked.id}`, admin, { name: "Meeting booked" });
      expect(renamed.json<Outcome>().name).toBe("Meeting booked");
      expect((await create("Demo booked")).statusCode).toBe(200);
      const busy = (await adminOutcomes()).outcomes.find((o) => o.key === "busy")!;
      expect((await send("PATCH", `/api/admin/outcomes/${busy.id}`, admin, { enabled: false })).json<Outcome>().enabled).toBe(false);
      const offered = (await send("GET", "/api/outcomes", sales)).json<OutcomesReply>().outcomes;
      expect(offered.map((o) => o.id)).not.toContain(busy.id);
      expect((await adminOutcomes()).outcomes.map((o) => o.id)).toContain(busy.id);

      expect((await send("DELETE", `/api/admin/outcomes/${booked.id}`, admin)).statusCode).toBe(200);
      expect((await send("DELETE", `/api/admin/outcomes/${booked.id}`, admin)).statusCode).toBe(404);
      const ids = (await adminOutcomes()).outcomes.map((o) => o.id);
      expect(ids).not.toContain(booked.id);
      const reordered = await send("PUT", "/api/admin/outcome-order", admin, { ids: [...ids].reverse() });
      expect(reordered.json<OutcomesReply>().outcomes.map((o) => o.id)).toEqual([...ids].reverse());
      expect((await send("PUT", "/api/admin/outcome-order", admin, { ids: ids.slice(1) })).statusCode).toBe(400);
      const feed = (await send("GET", "/api/changes", sales)).json<ChangesReply>();
      expect(feed.changes.filter((c) => c.entity === "outcome").length).toBeGreaterThan(0);
    });

    it("the required switch reaches every user", async () => {
      expect((await send("PUT", "/api/admin/outcome-settings", admin, { required: true })).json<OutcomesReply>().required).toBe(true);
      expect((await send("GET", "/api/outcomes", sales)).json<OutcomesReply>().required).toBe(true);
      expect((await send("GET", "/api/outcomes", other)).json<OutcomesReply>().required).toBe(false);
    });

    describe("logging a call's outcome", () => {
      const clientCallId = "0c0ffee0-0000-4000-8000-000000000001";
      let callId: number;
      beforeEach(async () => {
        const salesUser = await server.db("users").where({ email: "sales@demo.example" }).first<{ id: number; company_id: number }>();
        const [row] = await server.db("calls")
          .insert({ company_id: salesUser.company_id, user_id: salesUser.id, pbx_uniqueid: "1700000000.1", client_call_id: clientCallId, number: "+81312345678", direction: "outbound", status: "ended", started_at: server.clock.now, answered_at: server.clock.now + 1000, ended_at: server.clock.now + 61_000, billed_seconds: 60, disposition: "answered", updated_at: server.clock.now })
          .returning<{ id: number }[]>("id");
        callId = row!.id;
      });
      const log = (ref: string | number, body: object, token = sales) => send("POST", `/api/calls/${ref}/outcome`, token, body);
      const connectedId = async () => (await adminOutcomes()).outcomes.find((o) => o.key === "connected")!.id;

      it("the owner logs it by the softphone's call id; a replay changes nothing; the history row carries it", async () => {
        const outcomeId = await connectedId();
        const body = { outcomeId, notes: "  Wants a quote  ", idempotencyKey: "key-00000001" };
        const first = await log(clientCallId, body);
        expect(first.statusCode, first.body).toBe(200);
        expect(first.json<LoggedOutcome>()).toMatchObject({ callId: String(callId), outcome: "Connected", key: "connected", notes: "Wants a quote" });
        const changesBefore = await server.db("changes").count<{ n: number }[]>({ n: "*" });
        expect((await log(clientCallId, body)).json<LoggedOutcome>()).toEqual(first.json());
        expect(await server.db("changes").count<{ n: number }[]>({ n: "*" })).toEqual(changesBefore);
        const feed = (await send("GET", "/api/changes", sales)).json<ChangesReply>();
        expect(feed.changes.filter((c) => c.entity === "call").at(-1)?.data).toMatchObject({ id: String(callId), outcome: "Connected", notes: "Wants a quote" });
      });

      it("a disabled or deleted outcome is refused for new calls and stays on past ones", async () => {
        const custom = (await create("Call back Friday")).json<Outcome>();
        expect((await log(callId, { outcomeId: custom.id, idempotencyKey: "key-00000002" })).statusCode).toBe(200);
        await send("PATCH", `/api/admin/outcomes/${custom.id}`, admin, { name: "Renamed later", enabled: false });
        expect((await log(callId, { outcomeId: custom.id, idempotencyKey: "key-00000003" })).statusCode).toBe(409);
        await send("DELETE", `/api/admin/outcomes/${custom.id}`, admin);
        const stored = await server.db("calls").where({ id: callId }).first<{ outcome_name: string }>();
        expect(stored.outcome_name).toBe("Call back Friday");
      });

      it("another user of the company, another company's admin, and an unknown outcome are refused; an admin may log it", async () => {
        const outcomeId = await connectedId();
        expect((await log(callId, { outcomeId, idempotencyKey: "key-00000004" }, other)).statusCode).toBe(404);
        const otherOutcome = (await send("GET", "/api/outcomes", other)).json<OutcomesReply>().outcomes[0]!;
        expect((await log(callId, { outcomeId: otherOutcome.id, idempotencyKey: "key-00000005" })).statusCode).toBe(409);
        expect((await log(callId, { outcomeId, notes: "x".repeat(5001), idempotencyKey: "key-00000006" })).statusCode).toBe(400);
        expect((await log("not-a-call", { outcomeId, idempotencyKey: "key-00000007" })).statusCode).toBe(400);
        expect((await log(callId, { outcomeId, idempotencyKey: "key-00000008" }, admin)).statusCode).toBe(200);
      });
    });
  });
});

describe("invitation emails over SMTP", () => {
  let smtp: SmtpCapture;
  let test: TestDb;
  beforeEach(async () => {
    [smtp, test] = await Promise.all([startSmtpCapture(), openSqliteTestDb()]);
    await seedDemo(test.db);
  });
  afterEach(async () => {
    await smtp.close();
    await test.close();
  });

  it("sends the accept link by email; following it activates the user", async () => {
    const app = buildServer({ db: test.db, mailer: smtpMailer({ host: smtp.host, port: smtp.port, from: "caller@demo.example" }) });
    try {
      await app.listen({ port: 0, host: "127.0.0.1" });
      const admin = await app.inject({ method: "POST", url: "/api/auth/sign-in", payload: demoCredentials.admin });
      const token = admin.json<{ token: string }>().token;
      const reply = await app.inject({ method: "POST", url: "/api/admin/invitations", headers: { ...bearer(token), host: "127.0.0.1:4321" }, payload: { email: "mailed@demo.example" } });
      expect(reply.json<InviteReply>()).toMatchObject({ emailed: true, link: null });
      const mail = await smtp.waitFor((m) => m.to.includes("mailed@demo.example"));
      expect(mail.subject).toContain("Demo");
      const link = linkIn(mail.text);
      expect(link.startsWith("http://127.0.0.1:4321/invite/")).toBe(true);
      const accepted = await app.inject({ method: "POST", url: pathOf(link), ...form({ name: "Mae Mailed", password: "mailed-password" }) });
      expect(accepted.statusCode).toBe(200);
      expect((await app.inject({ method: "POST", url: "/api/auth/sign-in", payload: { email: "mailed@demo.example", password: "mailed-password" } })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe("invitations that say what happened, in the invitee's language", () => {
  let smtp: SmtpCapture;
  let test: TestDb;
  beforeEach(async () => {
    [smtp, test] = await Promise.all([startSmtpCapture(), openSqliteTestDb()]);
    await seedDemo(test.db);
  });
  afterEach(async () => {
    await smtp.close();
    await test.close();
  });

  async function signedIn(app: ReturnType<typeof buildServer>) {
    const token = (await app.inject({ method: "POST", url: "/api/auth/sign-in", payload: demoCredentials.admin })).json<{ token: string }>().token;
    const send = (method: "GET" | "POST", url: string, payload?: object) =>
      app.inject({ method, url, headers: { ...bearer(token), host: "127.0.0.1:4321" }, ...(payload === undefined ? {} : { payload }) });
    const user = async (email: string) => (await send("GET", "/api/admin/company/users")).json<CompanyUsersReply>().users.find((u) => u.email === email);
    return { send, user };
  }

  it("writes the email and the accept page in the invitee's language, else the company's (Japanese for a company in Japan)", async () => {
    const app = buildServer({ db: test.db, mailer: smtpMailer({ host: smtp.host, port: smtp.port, from: "caller@demo.example" }) });
    try {
      const { send } = await signedIn(app);
      expect((await send("POST", "/api/admin/invitations", { email: "kenji@demo.example" })).json<InviteReply>()).toMatchObject({ emailed: true, delivery: "emailed", link: null });
      const ja = await smtp.waitFor((m) => m.to.includes("kenji@demo.example"));
      expect(ja.subject).toBe("Demo K.K.: Caller への招待");
      expect(ja.text).toContain("招待を受け入れ、パスワードを設定してください");
      // The expiry in the company's zone, named.
      expect(ja.text).toMatch(/まで使えます/);
      expect(ja.text).toContain("JST");
      const jaPage = await app.inject({ method: "GET", url: pathOf(linkIn(ja.text)) });
      expect(jaPage.body).toContain('<html lang="ja">');
      expect(jaPage.body).toContain("招待を受け入れる");

      expect((await send("POST", "/api/admin/invitations", { email: "emma@demo.example", language: "en" })).json<InviteReply>().delivery).toBe("emailed");
      const en = await smtp.waitFor((m) => m.to.includes("emma@demo.example"));
      expect(en.subject).toBe("Demo K.K.: you're invited to Caller");
      expect(en.text).toMatch(/The link works once and until .* GMT\+9\./);
      const enPage = await app.inject({ method: "GET", url: pathOf(linkIn(en.text)) });
      expect(enPage.body).toContain('<html lang="en">');
      expect(enPage.body).toContain("Accept invitation");
      const done = await app.inject({ method: "POST", url: pathOf(linkIn(en.text)), ...form({ name: "Emma", password: "emma-password" }) });
      expect(done.body).toContain("Your account is ready");

      expect((await app.inject({ method: "GET", url: `/invite/${"A".repeat(43)}`, headers: { "accept-language": "ja-JP,ja;q=0.9" } })).body).toContain("この招待リンクは無効です");
    } finally {
      await app.close();
    }
  });

  it("sends again by email, copies a fresh link without mailing, and records each so the list tells the truth", async () => {
    const app = buildServer({ db: test.db, mailer: smtpMailer({ host: smtp.host, port: smtp.port, from: "caller@demo.example" }) });
    try {
      const { send, user } = await signedIn(app);
      const first = (await send("POST", "/api/admin/invitations", { email: "again@demo.example", language: "en" })).json<InviteReply>();
      const firstMail = await smtp.waitFor((m) => m.to.includes("again@demo.example"));
      expect((await user("again@demo.example"))?.invitation?.delivery).toBe("emailed");

      const again = await send("POST", `/api/admin/users/${first.user.id}/invitation`, { via: "email" });
      expect(again.json<InviteReply>()).toMatchObject({ emailed: true, delivery: "emailed", link: null });
      await expect.poll(() => smtp.messages.filter((m) => m.to.includes("again@demo.example")).length).toBe(2);
      const secondMail = smtp.messages.filter((m) => m.to.includes("again@demo.example"))[1]!;
      expect(linkIn(secondMail.text)).not.toBe(linkIn(firstMail.text));
      expect((await app.inject({ method: "GET", url: pathOf(linkIn(firstMail.text)) })).statusCode).toBe(410);

      const copied = (await send("POST", `/api/admin/users/${first.user.id}/invitation`, { via: "link" })).json<InviteReply>();
      expect(copied).toMatchObject({ emailed: false, delivery: "link_only" });
      expect((await app.inject({ method: "GET", url: pathOf(copied.link!) })).statusCode).toBe(200);
      expect(smtp.messages.filter((m) => m.to.includes("again@demo.example"))).toHaveLength(2);
      expect((await user("again@demo.example"))?.invitation?.delivery).toBe("link_only");
      expect((await send("POST", `/api/admin/users/${first.user.id}/invitation`, { via: "fax" })).statusCode).toBe(400);
    } finally {
      await app.close();
    }
  });

  it("says 'not sent' when the mail server refuses, and hands the admin the link", async () => {
    await smtp.close();
    const app = buildServer({ db: test.db, mailer: smtpMailer({ host: smtp.host, port: smtp.port, from: "caller@demo.example" }) });
    try {
      const { send, user } = await signedIn(app);
      const reply = (await send("POST", "/api/admin/invitations", { email: "bounced@demo.example" })).json<InviteReply>();
      expect(reply).toMatchObject({ emailed: false, delivery: "mail_failed" });
      expect(reply.link).toMatch(/\/invite\//);
      expect((await user("bounced@demo.example"))?.invitation?.delivery).toBe("mail_failed");
    } finally {
      await app.close();
      smtp = await startSmtpCapture();
    }
  });
});
