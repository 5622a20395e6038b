import { afterAll, beforeAll } from "vitest";
import { startPostgres, type PostgresCluster } from "../test-support/postgres";
import { describeSipBanRoutes } from "../test-support/sip-ban-routes-suite";
import { openMigrated } from "../test-support/test-db";

let cluster: PostgresCluster | undefined;

beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

describeSipBanRoutes("PostgreSQL", async () => {
  if (cluster === undefined) throw new Error("the PostgreSQL cluster did not start (see the beforeAll error)");
  return openMigrated({ kind: "postgres", url: await cluster.createDatabase() });
});
