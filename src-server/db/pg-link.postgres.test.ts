import type { Knex } from "knex";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startPostgres, type PostgresCluster } from "../test-support/postgres";
import { openDatabase } from "./open-database";
import { PgLink } from "./pg-link";

let cluster: PostgresCluster;
let url: string;
let db: Knex;
const links: PgLink[] = [];
const quiet = { info: () => {}, warn: () => {} };

beforeAll(async () => {
  cluster = await startPostgres();
  url = await cluster.createDatabase();
  db = await openDatabase({ kind: "postgres", url });
});

afterAll(async () => {
  for (const link of links) await link.close();
  await db?.destroy();
  await cluster?.stop();
});

async function startLink(name: string): Promise<PgLink> {
  const link = new PgLink({ url: `${url}?application_name=${name}`, log: quiet, retryMs: 200 });
  links.push(link);
  await link.start();
  return link;
}

/** What a PostgreSQL restart does to one server: its connection is cut. */
const cut = (link: string) => db.raw("select pg_terminate_backend(pid) from pg_stat_activity where application_name = ?", [link]);

it("a link whose connection is cut gives up its job lock, reconnects, listens again and says so", async () => {
  const first = await startLink("first");
  const second = await startLink("second");
  const heard: string[] = [];
  first.listen("test_channel", (payload) => heard.push(payload));
  let reconnections = 0;
  first.onReconnect(() => (reconnections += 1));

  expect(await first.holds("job:x")).toBe(true);
  expect(await second.holds("job:x")).toBe(false);
  await db.raw("select pg_notify('test_channel', 'before')");
  await expect.poll(() => heard).toEqual(["before"]);

  await cut("first");
  // The lock went with the connection: the other server takes the job.
  await expect.poll(() => second.holds("job:x")).toBe(true);
  await expect.poll(() => reconnections, { timeout: 5_000 }).toBe(1);
  expect(first.connected).toBe(true);
  expect(await first.holds("job:x")).toBe(false);
  await db.raw("select pg_notify('test_channel', 'after')");
  await expect.poll(() => heard).toEqual(["before", "after"]);
});
