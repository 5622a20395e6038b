import { afterAll, beforeAll } from "vitest";
import { openDatabase } from "../db/open-database";
import { startPostgres, type PostgresCluster } from "../test-support/postgres";
import { describeSignInThrottle } from "../test-support/sign-in-throttle-suite";
import { openMigrated } from "../test-support/test-db";

let cluster: PostgresCluster | undefined;

beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

describeSignInThrottle("PostgreSQL", async () => {
  if (cluster === undefined) throw new Error("the PostgreSQL cluster did not start (see the beforeAll error)");
  const url = await cluster.createDatabase();
  const opened = await openMigrated({ kind: "postgres", url });
  return { ...opened, another: () => openDatabase({ kind: "postgres", url }) };
});
