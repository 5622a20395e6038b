import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashPassword } from "../auth/password";
import { voicemailEmailPaths } from "../../src-shared/server-api/voicemail-email";
import { buildServer } from "../build-server";
import { createUser, findUserByEmail } from "../db/users-repo";
import { smtpMailer } from "../mail/mailer";
import { startSmtpCapture, type SmtpCapture } from "../mail/testing/smtp-capture";
import { ingestRecording, ingestShippedRecording } from "../recordings/ingest-recording";
import { directoryStorage, type RecordingStorage } from "../recordings/recording-storage";
import { tempDir, toneWav, type TempDir } from "../recordings/testing/recording-fixtures";
import { demoCredentials, seedDemo } from "../seed/demo";
import { setVoicemailEmailSetting } from "../voicemail-mail/voicemail-mail-repo";
import { VoicemailMailSender } from "../voicemail-mail/voicemail-mail-sender";
import type { TestDb } from "./test-db";
import { bearer } from "./test-server";

const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const direct = "+81355550100";
const shared = "+81355550101";
// 2026-12-07 14:05:00 in Tokyo.
const callAt = Date.UTC(2026, 11, 7, 5, 5, 0);

/** Voicemail emails from the recording's ingest to the real SMTP capture server, through the real database, once per engine. */
export function describeVoicemailMail(engine: string, open: () => Promise<TestDb>): void {
  describe(`voicemail emails on ${engine}`, () => {
    let handle: TestDb;
    let smtp: SmtpCapture;
    let spool: TempDir;
    let store: TempDir;
    let storage: RecordingStorage;
    let clock: number;
    let ids: { company: number; admin: number; sales: number; off: number; disabled: number };
    let nextCall = 1;
    const senders: VoicemailMailSender[] = [];

    const sender = (port = smtp.port) => {
      const made = new VoicemailMailSender({ db: handle.db, mailer: smtpMailer({ host: "127.0.0.1", port, from: "Caller <caller@demo.example>" }), storage, now: () => clock, log: silentLog, pollMs: 0 });
      senders.push(made);
      return made;
    };

    beforeEach(async () => {
      handle = await open();
      await seedDemo(handle.db, callAt - 86_400_000);
      smtp = await startSmtpCapture();
      spool = await tempDir("caller-vm-spool-");
      store = await tempDir("caller-vm-store-");
      storage = directoryStorage(store.path);
      clock = callAt + 60_000;
      const admin = (await findUserByEmail(handle.db, demoCredentials.admin.email))!;
      const sales = (await findUserByEmail(handle.db, demoCredentials.sales.email))!;
      const member = async (email: string, callerEnabled: boolean) =>
        (await createUser(handle.db, { companyId: admin.companyId, email, name: email, role: "regular", passwordHash: await hashPassword("x-password-1"), locale: "en", callerEnabled }, clock)).id;
      ids = { company: admin.companyId, admin: admin.id, sales: sales.id, off: await member("off@demo.example", true), disabled: await member("gone@demo.example", false) };
      await handle.db("users").where({ id: ids.sales }).update({ locale: "en" });
      await setVoicemailEmailSetting(handle.db, ids.off, false);
      const [group] = await handle.db("ring_groups").insert({ company_id: ids.company, name: "Sales team", strategy: "ring_all", next_index: 0, created_at: clock, updated_at: clock }).returning<{ id: number | string }[]>("id");
      await handle.db("ring_group_members").insert([ids.sales, ids.admin, ids.off, ids.disabled].map((userId, position) => ({ group_id: Number(group!.id), user_id: userId, position })));
      await handle.db("company_numbers").insert([
        { company_id: ids.company, number: direct, label: "Sora's line", user_id: ids.sales, group_id: null, ring_seconds: 20, created_at: clock, updated_at: clock },
        { company_id: ids.company, number: shared, label: "Main", user_id: null, group_id: Number(group!.id), ring_seconds: 20, created_at: clock, updated_at: clock },
      ]);
      const [person] = await handle.db("crm_people").insert({ company_id: ids.company, name: "Kenji Tanaka", created_at: clock, updated_at: clock }).returning<{ id: number | string }[]>("id");
      await handle.db("crm_phones").insert({ company_id: ids.company, owner_kind: "person", owner_id: Number(person!.id), number: "+819011112222", label: "mobile", position: 0 });
    }, 60_000);

    afterEach(async () => {
      for (const made of senders.splice(0)) await made.stop();
      await smtp.close();
      await spool.remove();
      await store.remove();
      await handle.close();
    });

    /** An inbound call that went to voicemail, as routing and its CDR leave it, and the Record() file in the spool. */
    async function voicemailCall(dialed: string, from = "+819011112222", voicemail = true) {
      const uniqueid = `caller-vm-${engine.length}.${nextCall++}`;
      await handle.db("calls").insert({
        company_id: ids.company,
        user_id: ids.sales,
        pbx_uniqueid: uniqueid,
        client_call_id: null,
        number: from,
        direction: "inbound",
        inbound_number: dialed,
        voicemail,
        status: "ended",
        started_at: callAt,
        answered_at: callAt + 20_000,
        ended_at: callAt + 25_000,
        billed_seconds: 0,
        disposition: "answered",
        updated_at: callAt + 25_000,
      });
      const mix = await spool.file(`${uniqueid}.wav`, toneWav(5, 0.3));
      return { uniqueid, source: { uniqueid, mix } };
    }

    const ingest = async (source: { uniqueid: string; mix: string }) => {
      const result = await ingestRecording(handle.db, storage, source, clock);
      if (result.status !== "ingested") throw new Error(`not ingested: ${result.status}`);
      return result.recording;
    };
    const outbox = () => handle.db("voicemail_emails").orderBy("id").select<{ user_id: number; sent_at: number | string | null; attempts: number; next_attempt_at: number | string; last_error: string | null }[]>("*");

    it("a voicemail to a user's number is emailed to them in English: the contact and number, the number dialed, the time in Tokyo, the length, and the stored WAV", async () => {
      const { source } = await voicemailCall(direct);
      const recording = await ingest(source);
      expect(await sender().runOnce()).toBe(1);
      const mail = await smtp.waitFor((m) => m.to.includes(demoCredentials.sales.email));
      expect(mail.subject).toBe("Voicemail from Kenji Tanaka (090-1111-2222) (5 sec)");
      expect(mail.text).toContain("Kenji Tanaka (090-1111-2222) left a voicemail on Sora's line 03-5555-0100.");
      expect(mail.text).toMatch(/When: Dec 7, 2026, 2:05\sPM GMT\+9 \(Asia\/Tokyo\)/);
      expect(mail.text).toContain("Length: 5 sec");
      expect(mail.text).toContain("The recording is attached.");
      expect(mail.html).toContain("Sora&#39;s line");
      expect(mail.attachments).toHaveLength(1);
      expect(mail.attachments[0]).toMatchObject({ filename: "voicemail-20261207-1405.wav", contentType: "audio/wav" });
      expect(mail.attachments[0]!.content.equals(await readFile(join(store.path, recording.storageKey)))).toBe(true);
      expect(smtp.messages).toHaveLength(1);
      expect((await outbox())[0]).toMatchObject({ attempts: 0, last_error: null });
      expect((await outbox())[0]!.sent_at).not.toBeNull();
    });

    it("a ring group's voicemail goes to each active member who wants it, each in their own language; an unknown caller is shown by number", async () => {
      const { source } = await voicemailCall(shared, "+12015550123");
      await ingest(source);
      expect(await sender().runOnce()).toBe(2);
      expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual([demoCredentials.admin.email, demoCredentials.sales.email].sort());
      const ja = smtp.messages.find((m) => m.to.includes(demoCredentials.admin.email))!;
      expect(ja.subject).toBe("+1 201 555 0123 からのボイスメール（5 秒）");
      expect(ja.text).toContain("+1 201 555 0123 から Main 03-5555-0101 にボイスメールが届きました。");
      expect(ja.text).toMatch(/日時: 2026年12月7日 14:05 JST（Asia\/Tokyo）/);
      expect(ja.attachments).toHaveLength(1);
      const en = smtp.messages.find((m) => m.to.includes(demoCredentials.sales.email))!;
      expect(en.subject).toBe("Voicemail from +1 201 555 0123 (5 sec)");
      expect((await outbox()).map((r) => Number(r.user_id)).sort()).toEqual([ids.admin, ids.sales].sort());
    });

    it("a user who turned the email off gets none; an answered call's or an outbound call's recording sends none", async () => {
      await setVoicemailEmailSetting(handle.db, ids.sales, false);
      await ingest((await voicemailCall(direct)).source);
      await ingest((await voicemailCall(shared, "+819011112222", false)).source);
      expect(await sender().runOnce()).toBe(0);
      expect(await outbox()).toEqual([]);
      expect(smtp.messages).toEqual([]);
    });

    it("a recording ingested again (a restart mid-ingest, the sweep, a shipper's retry) sends no second email", async () => {
      const { uniqueid, source } = await voicemailCall(direct);
      const bytes = await readFile(source.mix);
      const recording = await ingest(source);
      await sender().runOnce();
      await smtp.waitFor((m) => m.to.includes(demoCredentials.sales.email));
      // The files came back (the server died before removing them), and the shipper sent them too.
      await spool.file(`${uniqueid}.wav`, bytes);
      expect((await ingestRecording(handle.db, storage, source, clock)).status).toBe("exists");
      const stored = await readFile(join(store.path, recording.storageKey));
      const { createHash } = await import("node:crypto");
      expect((await ingestShippedRecording(handle.db, storage, uniqueid, stored, createHash("sha256").update(stored).digest("hex"), clock)).status).toBe("exists");
      clock += 3_600_000;
      expect(await sender().runOnce()).toBe(0);
      expect(await outbox()).toHaveLength(1);
      expect(smtp.messages).toHaveLength(1);
    });

    it("with SMTP down the recording is still stored, the email waits, and it is sent once SMTP is back and the retry is due", async () => {
      const port = smtp.port;
      await smtp.close();
      const { source } = await voicemailCall(direct);
      const recording = await ingest(source);
      expect(recording.durationMs).toBe(5000);
      const down = sender(port);
      expect(await down.runOnce()).toBe(0);
      const [failed] = await outbox();
      expect(failed).toMatchObject({ attempts: 1, sent_at: null });
      expect(failed!.last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(Number(failed!.next_attempt_at)).toBe(clock + 30_000);

      smtp = await startSmtpCapture({ port });
      // Not due yet: nothing is sent before the backoff.
      clock += 10_000;
      expect(await down.runOnce()).toBe(0);
      expect(smtp.messages).toEqual([]);
      clock += 20_000;
      expect(await down.runOnce()).toBe(1);
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0]!.attachments).toHaveLength(1);
      expect((await outbox())[0]!.sent_at).not.toBeNull();
    });

    it("two servers sending at once mail it once: the lease keeps the second off the row", async () => {
      await ingest((await voicemailCall(direct)).source);
      const [a, b] = [sender(), sender()];
      const counts = await Promise.all([a.runOnce(), b.runOnce()]);
      expect(counts.reduce((x, y) => x + y, 0)).toBe(1);
      expect(smtp.messages).toHaveLength(1);
    });

    it("each user turns the email off and on through the server, which says whether it has a mail server; a bad body is refused and changes nothing", async () => {
      const withMail = buildServer({ db: handle.db, mailer: smtpMailer({ host: "127.0.0.1", port: smtp.port, from: "caller@demo.example" }) });
      const withoutMail = buildServer({ db: handle.db });
      try {
        const signIn = await withMail.inject({ method: "POST", url: "/api/auth/sign-in", payload: demoCredentials.sales });
        const auth = bearer(signIn.json<{ token: string }>().token);
        const get = async (app = withMail) => (await app.inject({ method: "GET", url: voicemailEmailPaths.setting, headers: auth })).json<unknown>();
        expect(await get()).toEqual({ on: true, mailConfigured: true });
        expect(await get(withoutMail)).toEqual({ on: true, mailConfigured: false });
        const off = await withMail.inject({ method: "PUT", url: voicemailEmailPaths.setting, headers: auth, payload: { on: false } });
        expect(off.json<unknown>()).toEqual({ on: false, mailConfigured: true });
        const bad = await withMail.inject({ method: "PUT", url: voicemailEmailPaths.setting, headers: auth, payload: { on: "yes" } });
        expect(bad.statusCode).toBe(400);
        expect(await get()).toEqual({ on: false, mailConfigured: true });
        expect((await withMail.inject({ method: "GET", url: voicemailEmailPaths.setting })).statusCode).toBe(401);

        // Off: this voicemail is not mailed; on again: the next one is.
        await ingest((await voicemailCall(direct)).source);
        await withMail.inject({ method: "PUT", url: voicemailEmailPaths.setting, headers: auth, payload: { on: true } });
        await ingest((await voicemailCall(direct)).source);
        expect(await sender().runOnce()).toBe(1);
        expect(await outbox()).toHaveLength(1);
      } finally {
        await withMail.close();
        await withoutMail.close();
      }
    });
  });
}
