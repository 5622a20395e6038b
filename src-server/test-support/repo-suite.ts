import type { Knex } from "knex";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Company } from "../../src-shared/domain/company";
import { newCallFields } from "../calls/call-fields";
import { insertCall, listOpenCalls, listUserOpenCallIds, setLiveAnsweredAt } from "../db/calls-repo";
import { appendChange, listChanges } from "../db/changes-repo";
import { getPbxLiveness, markPbxLost, markPbxSeen, savePbxLiveness } from "../db/pbx-liveness-repo";
import { countCompanies, createCompany, getCompany, updateCompany, type NewCompany } from "../db/companies-repo";
import { migrateToLatest, migrationSource, migrations } from "../db/migrate";
import { createSession, deleteExpiredSessions, deleteSession, findSession } from "../db/sessions-repo";
import { createUser, findUserByEmail, getUser, listUsers, type NewUser } from "../db/users-repo";
import { activeSipBans, banSipAddress, liftSipBan, listSipBans } from "../pbx/sip-bans";
import { seedDemo } from "../seed/demo";
import { snapshot, type TestDb } from "./test-db";

const t0 = Date.UTC(2026, 10, 24);
const acme: NewCompany = { name: "Acme", plan: "professional", isTrial: false, country: "JP", currency: "USD", timeZone: "Asia/Tokyo" };
const beta: NewCompany = { name: "Beta", plan: "enterprise", isTrial: true, country: "US", currency: "USD", timeZone: "America/New_York" };
const person = (companyId: number, email: string, extra: Partial<NewUser> = {}): NewUser => ({
  companyId,
  email,
  name: email.split("@")[0] ?? email,
  role: "regular",
  passwordHash: "scrypt$not-a-real-hash",
  locale: null,
  callerEnabled: false,
  ...extra,
});

const companyChange = (company: Company, at: number, audienceUserId: number | null = null) => ({
  companyId: company.id,
  audienceUserId,
  entity: "company",
  entityId: String(company.id),
  op: "upsert" as const,
  data: company,
  at,
});

/** The repository contract; run once per database engine. */
export function describeRepositories(engine: string, open: () => Promise<TestDb>): void {
  describe(`repositories on ${engine}`, () => {
    let handle: TestDb;
    let db: Knex;
    beforeEach(async () => {
      handle = await open();
      db = handle.db;
    });
    afterEach(async () => {
      await handle.close();
    });

    it("migrations are all applied, and running them again does nothing", async () => {
      const [, pending] = (await db.migrate.list({ migrationSource })) as [unknown[], unknown[]];
      expect(pending).toEqual([]);
      const done = await db("knex_migrations").orderBy("id").pluck("name");
      expect(done).toEqual(migrations.map((m) => m.name));
      expect(await migrateToLatest(db)).toEqual([]);
    });

    it("creates, reads and patches a company, with booleans and ids as JS values", async () => {
      const created = await createCompany(db, beta, t0);
      expect(created).toEqual({ id: expect.any(Number) as number, ...beta });
      expect(await getCompany(db, created.id)).toEqual(created);
      const patched = await updateCompany(db, created.id, { name: "Beta Ltd", timeZone: "UTC" });
      expect(patched).toEqual({ ...created, name: "Beta Ltd", timeZone: "UTC" });
      expect(await updateCompany(db, created.id + 1000, { name: "nobody" })).toBeUndefined();
      expect(await countCompanies(db)).toBe(1);
    });

    it("refuses a plan outside the four", async () => {
      await expect(createCompany(db, { ...acme, plan: "gold" as NewCompany["plan"] }, t0)).rejects.toThrow();
      expect(await countCompanies(db)).toBe(0);
    });

    it("stores emails lowercase and refuses the same email in another case, even in another company", async () => {
      const a = await createCompany(db, acme, t0);
      const b = await createCompany(db, beta, t0);
      const user = await createUser(db, person(a.id, "  Mixed.Case@Example.COM "), t0);
      expect(user.email).toBe("mixed.case@example.com");
      expect((await findUserByEmail(db, "MIXED.case@example.com"))?.id).toBe(user.id);
      await expect(createUser(db, person(b.id, "mixed.CASE@example.com"), t0)).rejects.toThrow();
    });

    it("scopes user reads to a company, and admins always have Caller", async () => {
      const a = await createCompany(db, acme, t0);
      const b = await createCompany(db, beta, t0);
      const admin = await createUser(db, person(a.id, "boss@acme.example", { role: "admin", callerEnabled: false }), t0);
      const seller = await createUser(db, person(a.id, "seller@acme.example"), t0);
      const outsider = await createUser(db, person(b.id, "x@beta.example"), t0);
      expect(admin.callerEnabled).toBe(true);
      expect(seller.callerEnabled).toBe(false);
      expect((await listUsers(db, a.id)).map((u) => u.id)).toEqual([admin.id, seller.id]);
      expect(await getUser(db, a.id, outsider.id)).toBeUndefined();
      expect((await getUser(db, b.id, outsider.id))?.createdAt).toBe(t0);
    });

    it("finds a session only by its hash and only before it expires", async () => {
      const a = await createCompany(db, acme, t0);
      const user = await createUser(db, person(a.id, "s@acme.example", { role: "admin" }), t0);
      const sessionId = await createSession(db, { tokenHash: "a".repeat(64), userId: user.id, createdAt: t0, expiresAt: t0 + 1000 });
      expect(await findSession(db, "a".repeat(64), t0 + 999)).toEqual({ sessionId, userId: user.id, companyId: a.id, role: "admin" });
      expect(await findSession(db, "a".repeat(64), t0 + 1000)).toBeUndefined();
      expect(await findSession(db, "b".repeat(64), t0)).toBeUndefined();
      await createSession(db, { tokenHash: "c".repeat(64), userId: user.id, createdAt: t0, expiresAt: t0 + 5000 });
      expect(await deleteExpiredSessions(db, t0 + 1000)).toBe(1);
      await deleteSession(db, sessionId);
      expect((await snapshot(db)).sessions).toBe(1);
    });

    it("gives changes rising seqs and lists only the company's rows the user may see", async () => {
      const a = await createCompany(db, acme, t0);
      const b = await createCompany(db, beta, t0);
      const u1 = await createUser(db, person(a.id, "u1@acme.example"), t0);
      const u2 = await createUser(db, person(a.id, "u2@acme.example"), t0);
      const seqs: number[] = [];
      for (const change of [companyChange(a, t0), companyChange(b, t0 + 1), companyChange(a, t0 + 2, u1.id), companyChange(a, t0 + 3, u2.id), companyChange(a, t0 + 4)]) {
        seqs.push(await db.transaction((trx) => appendChange(trx, change)));
      }
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);

      const forU1 = await listChanges(db, { companyId: a.id, userId: u1.id, since: 0, limit: 100 });
      expect(forU1.changes.map((c) => c.seq)).toEqual([seqs[0], seqs[2], seqs[4]]);
      expect(forU1.changes[0]).toEqual({ seq: seqs[0], entity: "company", entityId: String(a.id), op: "upsert", data: a, at: t0 });
      expect(forU1).toMatchObject({ next: seqs[4], hasMore: false });

      const firstPage = await listChanges(db, { companyId: a.id, userId: u2.id, since: 0, limit: 2 });
      expect(firstPage.changes.map((c) => c.seq)).toEqual([seqs[0], seqs[3]]);
      expect(firstPage).toMatchObject({ next: seqs[3], hasMore: true });
      const secondPage = await listChanges(db, { companyId: a.id, userId: u2.id, since: firstPage.next, limit: 2 });
      expect(secondPage.changes.map((c) => c.seq)).toEqual([seqs[4]]);
      expect(secondPage).toMatchObject({ next: seqs[4], hasMore: false });
      const empty = await listChanges(db, { companyId: a.id, userId: u2.id, since: secondPage.next, limit: 2 });
      expect(empty).toEqual({ changes: [], next: secondPage.next, hasMore: false });
    });

    it("drops a change whose transaction rolls back", async () => {
      const a = await createCompany(db, acme, t0);
      const user = await createUser(db, person(a.id, "r@acme.example"), t0);
      await expect(
        db.transaction(async (trx) => {
          await updateCompany(trx, a.id, { name: "Renamed" });
          await appendChange(trx, companyChange({ ...a, name: "Renamed" }, t0));
          throw new Error("the write after failed");
        }),
      ).rejects.toThrow("the write after failed");
      expect((await getCompany(db, a.id))?.name).toBe("Acme");
      expect((await listChanges(db, { companyId: a.id, userId: user.id, since: 0, limit: 10 })).changes).toEqual([]);
    });

    it("a company's appends commit in seq order: the second waits for the first transaction", async () => {
      const a = await createCompany(db, acme, t0);
      const user = await createUser(db, person(a.id, "c@acme.example"), t0);
      let releaseFirst!: () => void;
      const held = new Promise<void>((resolve) => (releaseFirst = resolve));
      let appended!: (seq: number) => void;
      const firstAppended = new Promise<number>((resolve) => (appended = resolve));
      const first = db.transaction(async (trx) => {
        appended(await appendChange(trx, companyChange(a, t0)));
        await held;
      });
      // A failed first append rejects `first` and ends the race.
      const firstSeq = await Promise.race([firstAppended, first.then(() => 0)]);
      let secondDone = false;
      const second = db.transaction((trx) => appendChange(trx, companyChange(a, t0 + 1))).then((seq) => {
        secondDone = true;
        return seq;
      });
      try {
        await new Promise((r) => setTimeout(r, 150));
        expect(secondDone).toBe(false);
      } finally {
        releaseFirst();
        await first;
      }
      expect(await second).toBeGreaterThan(firstSeq);
      const feed = await listChanges(db, { companyId: a.id, userId: user.id, since: 0, limit: 10 });
      expect(feed.changes.map((c) => c.seq)).toEqual([firstSeq, await second]);
    });

    it("seeds the demo companies once, however often it runs", async () => {
      expect(await seedDemo(db, t0)).toBe(2);
      const after = await snapshot(db);
      expect(await seedDemo(db, t0 + 1)).toBe(0);
      expect(await snapshot(db)).toEqual(after);
      expect(after.companies).toHaveLength(2);
      expect(after.users).toHaveLength(3);
    });

    it("keeps SIP bans: one in force per address, served while in force, lifted by name, kept after", async () => {
      const ban = (address: string, now: number) => banSipAddress(db, { address, failures: 10, firstFailureAt: now - 5_000, now, durationMs: 60_000 });
      const first = await ban("203.0.113.7", t0);
      expect(first).toEqual({ id: expect.any(Number) as number, address: "203.0.113.7", failures: 10, firstFailureAt: t0 - 5_000, bannedAt: t0, bannedUntil: t0 + 60_000, liftedBy: null, liftedAt: null });
      expect(await ban("203.0.113.7", t0 + 1)).toBeNull();
      await ban("2001:DB8::1", t0 + 2);
      expect((await activeSipBans(db, t0 + 10)).map((b) => b.address)).toEqual(["203.0.113.7", "2001:db8::1"]);
      expect((await listSipBans(db, { now: t0 + 10 })).map((b) => b.address)).toEqual(["2001:db8::1", "203.0.113.7"]);
      expect(await activeSipBans(db, t0 + 60_000)).toEqual([expect.objectContaining({ address: "2001:db8::1" })]);

      await expect(liftSipBan(db, "not-an-address", "op", t0 + 20)).rejects.toThrow(/not an IP address/);
      await expect(liftSipBan(db, "203.0.113.7", " ", t0 + 20)).rejects.toThrow(/who lifts/);
      expect(await liftSipBan(db, "203.0.113.7", "operator@example.com", t0 + 20)).toBe(1);
      expect(await liftSipBan(db, "203.0.113.7", "operator@example.com", t0 + 21)).toBe(0);
      expect((await activeSipBans(db, t0 + 30)).map((b) => b.address)).toEqual(["2001:db8::1"]);
      expect((await listSipBans(db, { now: t0 + 30, history: true })).find((b) => b.id === first?.id)).toMatchObject({ liftedBy: "operator@example.com", liftedAt: t0 + 20 });
      expect(await ban("203.0.113.7", t0 + 40)).toMatchObject({ bannedAt: t0 + 40 });
    });

    it("remembers each Asterisk's start and last sign of life, and lists the calls still open with their live answers", async () => {
      await savePbxLiveness(db, { systemName: "pbx-a", startedAt: t0, seenAt: t0 + 1_000, lostAt: null }, t0);
      await markPbxSeen(db, "pbx-a", t0 + 500, t0);
      expect(await getPbxLiveness(db, "pbx-a")).toEqual({ systemName: "pbx-a", startedAt: t0, seenAt: t0 + 1_000, lostAt: null });
      await markPbxSeen(db, "pbx-a", t0 + 2_000, t0);
      await markPbxLost(db, "pbx-a", t0 + 2_500, t0);
      expect(await getPbxLiveness(db, "pbx-a")).toEqual({ systemName: "pbx-a", startedAt: t0, seenAt: t0 + 2_000, lostAt: t0 + 2_500 });
      await savePbxLiveness(db, { systemName: "pbx-a", startedAt: t0 + 9_000, seenAt: t0 + 9_500, lostAt: null }, t0);
      expect(await getPbxLiveness(db, "pbx-a")).toMatchObject({ startedAt: t0 + 9_000, lostAt: null });
      expect(await getPbxLiveness(db, "pbx-b")).toBeUndefined();

      await seedDemo(db, t0);
      const sales = (await findUserByEmail(db, "sales@demo.example"))!;
      const call = (uniqueid: string, startedAt: number) =>
        newCallFields({ companyId: sales.companyId, userId: sales.id, pbxUniqueid: uniqueid, clientCallId: null, number: "+12015550123", status: "authorized", startedAt, refusalReason: null });
      await db.transaction(async (trx) => {
        await insertCall(trx, call("pbx-a-1.1", t0), t0);
        await insertCall(trx, call("pbx-a-1.2", t0 + 5_000), t0);
        await insertCall(trx, { ...call("pbx-a-1.3", t0), status: "ended", endedAt: t0 + 1 }, t0);
      });
      expect(await db.transaction((trx) => setLiveAnsweredAt(trx, "pbx-a-1.1", t0 + 300))).toBe(true);
      expect(await db.transaction((trx) => setLiveAnsweredAt(trx, "pbx-a-1.1", t0 + 900))).toBe(false);
      expect(await db.transaction((trx) => setLiveAnsweredAt(trx, "pbx-a-1.3", t0 + 900))).toBe(false);
      const open = await db.transaction((trx) => listOpenCalls(trx, t0 + 1_000));
      expect(open.map((c) => [c.pbxUniqueid, c.liveAnsweredAt, c.interrupted])).toEqual([["pbx-a-1.1", t0 + 300, false]]);
      expect(await listUserOpenCallIds(db, sales.id)).toEqual(["pbx-a-1.1", "pbx-a-1.2"]);
    });
  });
}
