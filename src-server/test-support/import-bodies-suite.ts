import type { Knex } from "knex";
import { request } from "node:http";
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import secureJsonParse from "secure-json-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TariffImportReply, maxTariffCsvChars, operatorPaths } from "../../src-shared/server-api/operator";
import type { CreditsRuntime } from "../credits/credits-runtime";
import { tariffBodyLimit } from "../routes/operator-tariff-routes";
import { longestStall, postOverHttp, tariffCounts, tariffFile } from "./import-test-files";
import { bearer, demoCredentials, startTestServer, type TestServer } from "./test-server";

/** A published version, not in force (dated a year ahead), whose stored rows overlap: a tariff no CSV check would have let in. */
async function plantOverlappingVersion(db: Knex, credits: CreditsRuntime, now: number): Promise<number> {
  const [row] = await db<{ id: number | string; company_id: null; source: string; row_count: number; imported_by: string; imported_at: number; pending: boolean }>("tariff_versions")
    .insert({ company_id: null, source: "legacy.csv", row_count: 2, imported_by: "test", imported_at: now + 365 * 86_400_000, pending: false })
    .returning("id");
  const id = Number(row?.id);
  const base = { version_id: id, prefix: "44", destination: "Overland", kind: "fixed", rate_per_minute_micros: 10_000, connection_fee_micros: 0, increment_first: 60, increment_next: 60, effective_to: null };
  await db("tariff_rows").insert([
    { ...base, effective_from: 0 },
    { ...base, effective_from: 86_400_000 },
  ]);
  await credits.reloadVersions(now);
  return id;
}

/**
 * The body of a tariff preview or import, read and checked on the import
 * thread: this thread's pause while a large one arrives, and every refusal
 * compared with the same request to a server that parses on its own thread.
 * `shared`: the imports suite's server (import worker, listening) and operator.
 */
export function describeImportBodies(shared: () => { server: TestServer; operator: string }): void {
  describe("tariff request bodies", () => {
    let server: TestServer;
    let operator: string;
    // Parses on its own thread (the inline parser): what a main-thread error answers.
    let reference: TestServer;
    let referenceOperator: string;
    beforeAll(async () => {
      ({ server, operator } = shared());
      reference = await startTestServer();
      referenceOperator = await reference.signIn(demoCredentials.operator);
    }, 60_000);
    afterAll(async () => {
      await reference?.close();
    });

    const both = async (ask: (target: TestServer, token: string) => Promise<{ statusCode: number; body: string }>) => {
      const there = await ask(server, operator);
      const here = await ask(reference, referenceOperator);
      return { worker: { status: there.statusCode, body: JSON.parse(there.body) as unknown }, inline: { status: here.statusCode, body: JSON.parse(here.body) as unknown } };
    };
    const postBoth = (url: string, payload: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
      both((target, token) => target.app.inject({ method: "POST", url, headers: { ...bearer(token), ...headers }, payload }));

    it("a 300,000-row tariff's body, sent over HTTP, is read and parsed off this thread: it never stops for longer than a fraction of parsing that body here", async () => {
      const rows = 300_000;
      const body = Buffer.from(JSON.stringify({ fileName: "large.csv", csv: tariffFile(rows, { first: 4_900_000, broken: rows + 1 }), acceptValidRows: false }));
      // What this thread did before: Fastify's JSON parser on the whole body, and the file copied to the import thread.
      const started = performance.now();
      const parsed = secureJsonParse(body, { protoAction: "error", constructorAction: "error" }) as { csv: string };
      expect(structuredClone(parsed.csv)).toHaveLength(parsed.csv.length);
      const inlineMs = performance.now() - started;

      const before = await tariffCounts(server.db);
      const sent = await longestStall(() => postOverHttp(`${server.url}${operatorPaths.tariffImport}`, operator, body));
      expect(sent.result.status, JSON.stringify(sent.result.json)).toBe(200);
      expect(TariffImportReply.parse(sent.result.json)).toEqual({ version: null, imported: 0, rejected: [{ line: rows + 1, code: expect.any(String) as string, reason: expect.stringContaining("cheap") as string }] });
      expect(await tariffCounts(server.db)).toEqual(before);
      expect(sent.stallMs).toBeLessThan(inlineMs / 3);
    }, 180_000);

    it("a malformed, empty, mistyped or wrongly typed body is refused as the route's own parser and schema refuse it, and nothing changes", async () => {
      const before = await tariffCounts(server.db);
      const cases: { url: string; payload: string; headers?: Record<string, string>; message: RegExp }[] = [
        { url: operatorPaths.tariffImport, payload: '{"fileName":"a.csv","csv":"prefix', message: /not valid JSON/ },
        { url: operatorPaths.tariffImport, payload: "", message: /cannot be empty/ },
        { url: operatorPaths.tariffImport, payload: '{"fileName":"a.csv","csv":"x","acceptValidRows":false,"__proto__":{"x":1}}', message: /not valid JSON/ },
        { url: operatorPaths.tariffImport, payload: JSON.stringify({ fileName: "a.csv", csv: "x", acceptValidRows: "yes" }), message: /^body\.acceptValidRows: / },
        { url: operatorPaths.tariffImport, payload: JSON.stringify({ fileName: "a.csv", csv: "x", acceptValidRows: false, extra: 1 }), message: /^body: / },
        { url: operatorPaths.tariffPreview, payload: JSON.stringify({ csv: "x" }), message: /^body\.fileName: / },
        { url: operatorPaths.tariffImport, payload: "fileName=a.csv", headers: { "content-type": "text/plain" }, message: /^body: / },
      ];
      for (const { url, payload, headers, message } of cases) {
        const { worker, inline } = await postBoth(url, payload, headers);
        expect(worker, payload).toEqual(inline);
        expect(worker, payload).toMatchObject({ status: 400, body: { code: "bad_request", message: expect.stringMatching(message) as string } });
        // A schema's refusal names its field for the apps' words, the same from either thread; a parser's has no reason.
        if (message.source.startsWith("^body\\.")) expect(worker.body, payload).toMatchObject({ reason: "invalid_field", params: { field: message.source.slice(7).split(":")[0] } });
      }
      expect(await tariffCounts(server.db)).toEqual(before);
    }, 60_000);

    it("a file over the size limit, and a body over the route's limit (declared or streamed), are refused as before, and nothing changes", async () => {
      const before = await tariffCounts(server.db);
      const tooLong = await postBoth(operatorPaths.tariffImport, JSON.stringify({ fileName: "long.csv", csv: "9".repeat(maxTariffCsvChars + 1), acceptValidRows: false }));
      expect(tooLong.worker).toEqual(tooLong.inline);
      expect(tooLong.worker).toEqual({ status: 400, body: { code: "bad_request", message: expect.stringMatching(/^body\.csv: /) as string, reason: "invalid_field", params: { field: "csv", rule: "too_long", limit: maxTariffCsvChars } } });

      // No Content-Length: the limit is met while the body streams in.
      const streamed = function* () {
        yield Buffer.from('{"fileName":"huge.csv","csv":"');
        for (let sent = 0; sent <= tariffBodyLimit; sent += 1 << 20) yield Buffer.alloc(1 << 20, 0x39);
        yield Buffer.from('","acceptValidRows":false}');
      };
      const tooBig = await both((target, token) => target.app.inject({ method: "POST", url: operatorPaths.tariffImport, headers: { ...bearer(token), "content-type": "application/json" }, payload: Readable.from(streamed()) }));
      expect(tooBig.worker).toEqual(tooBig.inline);
      expect(tooBig.worker).toEqual({ status: 413, body: { code: "bad_request", message: "Request body is too large", reason: "body_too_large", params: {} } });

      // Content-Length over the limit: refused before the body is read.
      const declared = await new Promise<number>((resolve, reject) => {
        const req = request(`${server.url}${operatorPaths.tariffImport}`, { method: "POST", headers: { ...bearer(operator), "content-type": "application/json", "content-length": String(tariffBodyLimit + 1) } }, (res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
          req.destroy();
        });
        req.on("error", (error) => (req.destroyed ? undefined : reject(error)));
        req.write("{");
      });
      expect(declared).toBe(413);
      expect(await tariffCounts(server.db)).toEqual(before);
    }, 120_000);

    it("a stored version whose rows overlap, restored, is refused with the bad row's 400 (not a 500), as on the server's own thread", async () => {
      const bad = await plantOverlappingVersion(server.db, server.credits, server.clock.now);
      const referenceBad = await plantOverlappingVersion(reference.db, reference.credits, reference.clock.now);
      const before = await tariffCounts(server.db);
      const worker = await server.app.inject({ method: "POST", url: operatorPaths.tariffRestore.replace(":id", String(bad)), headers: bearer(operator) });
      const inline = await reference.app.inject({ method: "POST", url: operatorPaths.tariffRestore.replace(":id", String(referenceBad)), headers: bearer(referenceOperator) });
      expect({ status: worker.statusCode, body: worker.json<unknown>() }).toEqual({ status: inline.statusCode, body: inline.json<unknown>() });
      expect({ status: worker.statusCode, body: worker.json<unknown>() }).toEqual({
        status: 400,
        body: { code: "bad_request", message: "tariff has overlapping effective periods for prefix 44", reason: "tariff_overlap", params: { prefix: "44" } },
      });
      expect(await tariffCounts(server.db)).toEqual(before);
    }, 60_000);
  });
}
