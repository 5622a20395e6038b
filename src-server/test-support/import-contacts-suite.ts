import { performance } from "node:perf_hooks";
import secureJsonParse from "secure-json-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxContactRows, parseContactCsv } from "../../src-shared/crm/contact-csv";
import { ImportContactsReply, crmPaths } from "../../src-shared/server-api/crm";
import { longestStall, postOverHttp } from "./import-test-files";
import { bearer, demoCredentials, startTestServer, type TestServer } from "./test-server";

/** `count` contacts of about 95 characters each, under 500 organizations (every tenth has none). */
function contactsFile(count: number, tag: string): string {
  const lines = ["name,organization,phones,email"];
  for (let i = 0; i < count; i += 1) {
    const n = String(i).padStart(5, "0");
    lines.push(`Person ${tag}-${n},${i % 10 === 0 ? "" : `Holdings ${tag} ${i % 500}`},mobile: +1 201 555 ${n.slice(1)}; +1 646 555 ${n.slice(1)},${tag}.${n}@example.com`);
  }
  return lines.join("\n");
}

const peopleCount = async (server: TestServer) => Number((await server.db("crm_people").count<{ n: number | string }[]>({ n: "*" }))[0]?.n);

/**
 * A contacts import's body, read, parsed and written on the import thread:
 * this thread's pauses and busy time while a 2 MB one arrives and is written.
 * `shared`: the imports suite's server (import worker, listening) and a user.
 */
export function describeContactBodies(shared: () => { server: TestServer; user: string }): void {
  describe("contacts request bodies", () => {
    // Parses on its own thread (the inline parser): what a main-thread error answers.
    let reference: TestServer;
    let referenceUser: string;
    beforeAll(async () => {
      reference = await startTestServer();
      referenceUser = await reference.sessionFor(demoCredentials.sales);
    }, 60_000);
    afterAll(async () => {
      await reference?.close();
    });

    it("a malformed, empty, mistyped, oversized or wrongly typed body is refused as the route's own parser and schema refuse it, and nothing is imported", async () => {
      const { server, user } = shared();
      const before = await peopleCount(server);
      const cases: { payload: string; headers?: Record<string, string>; status: number; message: RegExp }[] = [
        { payload: '{"csv":"name,phones', status: 400, message: /not valid JSON/ },
        { payload: "", status: 400, message: /cannot be empty/ },
        { payload: '{"csv":"x","__proto__":{"x":1}}', status: 400, message: /not valid JSON/ },
        { payload: JSON.stringify({ csv: "x", acceptValidRows: "yes" }), status: 400, message: /^body\.acceptValidRows: / },
        { payload: JSON.stringify({ csv: "x", extra: 1 }), status: 400, message: /^body: / },
        { payload: JSON.stringify({ csv: "9".repeat(2_000_001) }), status: 400, message: /^body\.csv: / },
        { payload: JSON.stringify({ csv: "9".repeat(2_600_000) }), status: 413, message: /too large/ },
        { payload: "csv=x", headers: { "content-type": "text/plain" }, status: 400, message: /^body: / },
      ];
      for (const { payload, headers, status, message } of cases) {
        const ask = async (target: TestServer, token: string) => {
          const reply = await target.app.inject({ method: "POST", url: crmPaths.importContacts, headers: { ...bearer(token), "content-type": "application/json", ...headers }, payload });
          return { status: reply.statusCode, body: JSON.parse(reply.body) as unknown };
        };
        const worker = await ask(server, user);
        expect(worker, payload.slice(0, 40)).toEqual(await ask(reference, referenceUser));
        expect(worker, payload.slice(0, 40)).toMatchObject({ status, body: { code: "bad_request", message: expect.stringMatching(message) as string } });
      }
      expect(await peopleCount(server)).toBe(before);
    }, 60_000);

    it("a 20,000-row contacts body (2 MB), sent over HTTP, is read, parsed and written off this thread: no pause and little busy time here", async () => {
      const { server, user } = shared();
      const csv = contactsFile(20_000, "big");
      const body = Buffer.from(JSON.stringify({ csv, acceptValidRows: true }));
      // What this thread would do to read the body and its file itself, without writing a row: the yardstick.
      const started = performance.now();
      const parsed = secureJsonParse(body, { protoAction: "error", constructorAction: "error" }) as { csv: string };
      expect(parseContactCsv(parsed.csv, "US").contacts).toHaveLength(maxContactRows);
      const readMs = performance.now() - started;

      const before = await peopleCount(server);
      const busyBefore = performance.eventLoopUtilization();
      const sent = await longestStall(() => postOverHttp(`${server.url}${crmPaths.importContacts}`, user, body));
      const busyMs = performance.eventLoopUtilization(busyBefore).active;
      expect(sent.result.status, JSON.stringify(sent.result.json)).toBe(200);
      expect(ImportContactsReply.parse(sent.result.json)).toEqual({
        imported: maxContactRows,
        rows: maxContactRows + 1,
        rejected: [{ line: maxContactRows + 2, reason: `a file holds at most ${maxContactRows} contacts` }],
      });
      expect(await peopleCount(server)).toBe(before + maxContactRows);
      const person = await server.db("crm_people as p").join("crm_organizations as o", "o.id", "p.organization_id").where("p.name", "Person big-04999").first<{ email: string; org: string }>("p.email", "o.name as org");
      expect(person).toEqual({ email: "big.04999@example.com", org: "Holdings big 499" });
      console.info(`contacts import over HTTP: longest pause ${sent.stallMs.toFixed(1)} ms, this thread busy ${busyMs.toFixed(0)} ms; reading the body and file here: ${readMs.toFixed(1)} ms`);
      // Before, on SQLite the rows were written in one synchronous stretch (an 11 s pause); on PostgreSQL the
      // pauses were shorter (0.6 s) but the thousands of awaited inserts kept this thread busy for 40 s.
      expect(sent.stallMs).toBeLessThan(readMs / 3);
      expect(busyMs).toBeLessThan(readMs * 2);
    }, 180_000);
  });
}
