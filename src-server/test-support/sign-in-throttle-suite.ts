import type { Knex } from "knex";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildServer } from "../build-server";
import type { App } from "../http/app";
import { demoCredentials, startTestServer, type TestServer } from "./test-server";

/** A database to seed and serve, and a second connection to the same one (another server instance's). */
export interface ThrottleDb {
  db: Knex;
  another(): Promise<Knex>;
  close(): Promise<void>;
}

const wrong = "not-the-password";
const unknownEmail = "nobody@demo.example";

/**
 * Sign-in throttling through the real route, once per database engine: the
 * state is in the database, so it must hold on both, across a restart and
 * between server instances.
 */
export function describeSignInThrottle(engine: string, open: () => Promise<ThrottleDb>): void {
  describe(`sign-in throttling on ${engine}`, () => {
    let handle: ThrottleDb;
    let server: TestServer;
    const others: Array<{ app: App; db: Knex }> = [];
    beforeEach(async () => {
      handle = await open();
      server = await startTestServer({ db: handle.db });
    });
    afterEach(async () => {
      for (const other of others.splice(0)) {
        await other.app.close();
        await other.db.destroy();
      }
      await server.close();
      await handle.close();
    });

    const signIn = (email: string, password: string, options: { app?: App; from?: string } = {}) =>
      (options.app ?? server.app).inject({ method: "POST", url: "/api/auth/sign-in", payload: { email, password }, remoteAddress: options.from ?? "192.0.2.10" });
    /** Another server instance on its own connection to the same database, on the same clock. */
    const anotherInstance = async (): Promise<App> => {
      const db = await handle.another();
      const app = buildServer({ db, now: () => server.clock.now });
      await app.ready();
      others.push({ app, db });
      return app;
    };
    const seconds = (s: number) => (server.clock.now += s * 1000);

    it("300 wrong passwords in a row get 5 checks, then waits; the right one waits too, then works and clears the count", async () => {
      for (let i = 0; i < 5; i += 1) expect((await signIn(demoCredentials.sales.email, wrong)).statusCode).toBe(401);
      const statuses = new Map<number, number>();
      for (let i = 0; i < 300; i += 1) {
        const { statusCode } = await signIn(demoCredentials.sales.email, wrong);
        statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
      }
      expect(Object.fromEntries(statuses)).toEqual({ 429: 300 });

      const locked = await signIn(demoCredentials.sales.email, demoCredentials.sales.password);
      expect(locked.statusCode).toBe(429);
      expect(locked.headers["retry-after"]).toBe("30");
      expect(locked.json()).toEqual({ code: "sign_in_throttled", message: "Too many failed sign-ins: try again in 30 s", retryAfterSeconds: 30 });

      seconds(29);
      expect((await signIn(demoCredentials.sales.email, demoCredentials.sales.password)).headers["retry-after"]).toBe("1");
      seconds(1);
      expect((await signIn(demoCredentials.sales.email, demoCredentials.sales.password)).statusCode).toBe(200);
      // Cleared: five more mistakes are checked before the next wait.
      for (let i = 0; i < 5; i += 1) expect((await signIn(demoCredentials.sales.email, wrong)).statusCode).toBe(401);
      expect((await signIn(demoCredentials.sales.email, wrong)).statusCode).toBe(429);
    }, 90_000);

    it("doubles the wait after each further failure, up to 15 minutes", async () => {
      const waits: string[] = [];
      for (let i = 0; i < 5; i += 1) await signIn(demoCredentials.sales.email, wrong);
      for (let round = 0; round < 7; round += 1) {
        const refused = await signIn(demoCredentials.sales.email, wrong);
        expect(refused.statusCode).toBe(429);
        const wait = Number(refused.headers["retry-after"]);
        waits.push(String(wait));
        seconds(wait);
        expect((await signIn(demoCredentials.sales.email, wrong)).statusCode).toBe(401);
      }
      expect(waits).toEqual(["30", "60", "120", "240", "480", "900", "900"]);
    }, 90_000);

    it("answers an unknown email exactly as a known one, step by step", async () => {
      const steps = async (email: string) => {
        const seen: string[] = [];
        for (let i = 0; i < 8; i += 1) {
          const reply = await signIn(email, wrong);
          seen.push(`${reply.statusCode} ${reply.headers["retry-after"] ?? "-"} ${reply.body}`);
        }
        return seen;
      };
      const known = await steps(demoCredentials.sales.email);
      const unknown = await steps(unknownEmail);
      expect(unknown).toEqual(known);
      expect(known.filter((step) => step.startsWith("429"))).toHaveLength(3);
    }, 90_000);

    it("locks an address after 20 failures across accounts, for every account and the right password too; a success there does not reset it", async () => {
      const spray = "198.51.100.7";
      for (let i = 0; i < 19; i += 1) expect((await signIn(`guess${i}@demo.example`, wrong, { from: spray })).statusCode).toBe(401);
      // The attacker's own account: signing in does not wipe the address's count.
      expect((await signIn(demoCredentials.admin.email, demoCredentials.admin.password, { from: spray })).statusCode).toBe(200);
      expect((await signIn("guess19@demo.example", wrong, { from: spray })).statusCode).toBe(401);
      const refused = await signIn(demoCredentials.sales.email, demoCredentials.sales.password, { from: spray });
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ code: "sign_in_throttled", retryAfterSeconds: 30 });
      // Another address is not held back.
      expect((await signIn(demoCredentials.sales.email, demoCredentials.sales.password, { from: "192.0.2.99" })).statusCode).toBe(200);
    }, 90_000);

    it("holds across a restart and on another server instance", async () => {
      for (let i = 0; i < 5; i += 1) await signIn(demoCredentials.sales.email, wrong);
      const other = await anotherInstance();
      expect((await signIn(demoCredentials.sales.email, demoCredentials.sales.password, { app: other })).statusCode).toBe(429);
      await server.app.close();
      // A restart: a new server on the same database.
      const restarted = await anotherInstance();
      expect((await signIn(demoCredentials.sales.email, demoCredentials.sales.password, { app: restarted })).statusCode).toBe(429);
      seconds(30);
      expect((await signIn(demoCredentials.sales.email, demoCredentials.sales.password, { app: restarted })).statusCode).toBe(200);
    });

    it("lets only 5 of 30 concurrent guesses, spread over two instances, reach the password check", async () => {
      const other = await anotherInstance();
      const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn(demoCredentials.sales.email, wrong, { app: i % 2 === 0 ? server.app : other })));
      const counts = replies.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.statusCode]: (acc[r.statusCode] ?? 0) + 1 }), {});
      expect(counts).toEqual({ 401: 5, 429: 25 });
    });
  });
}
