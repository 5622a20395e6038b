import type { Knex } from "knex";
import { request } from "node:http";
import { performance } from "node:perf_hooks";
import { tariffCsvColumns } from "../../src-shared/credits/tariff-csv";
import { bearer } from "./test-server";

/** `count` valid rows, prefixes from `first`; `broken` (a 1-based line of the file) gets a rate that is not one. */
export function tariffFile(count: number, options: { first?: number; rate?: string; broken?: number } = {}): string {
  const first = options.first ?? 4_400_000;
  const lines = [tariffCsvColumns.join(",")];
  for (let i = 0; i < count; i += 1) {
    const rate = lines.length + 1 === options.broken ? "cheap" : (options.rate ?? "0.012000");
    lines.push(`${first + i},"Testland, mobile",mobile,${rate},0.000000,60/60,2026-01-01,`);
  }
  return lines.join("\n");
}

/** The longest time this thread went without running a timer while `work` ran: how long an authorize request would have waited. */
export async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 2);
  try {
    const result = await work();
    return { result, stallMs: Math.max(stallMs, performance.now() - last) };
  } finally {
    clearInterval(timer);
  }
}

/** What an import writes: a refused one leaves all four as they were. */
export const tariffCounts = async (db: Knex) => ({
  versions: (await db("tariff_versions").count<{ n: number | string }[]>({ n: "*" }))[0]?.n,
  rows: (await db("tariff_rows").count<{ n: number | string }[]>({ n: "*" }))[0]?.n,
  actions: (await db("operator_actions").count<{ n: number | string }[]>({ n: "*" }))[0]?.n,
  people: (await db("crm_people").count<{ n: number | string }[]>({ n: "*" }))[0]?.n,
});

/** POSTs `body` over real HTTP (socket chunks, as a browser's upload arrives); the reply's status and JSON. */
export function postOverHttp(url: string, token: string, body: Buffer): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { ...bearer(token), "content-type": "application/json", "content-length": String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
