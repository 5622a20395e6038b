import { afterAll, beforeAll } from "vitest";
import { startPostgres, type PostgresCluster } from "../test-support/postgres";
import { openMigrated } from "../test-support/test-db";
import { describeVoicemailRoutes } from "../test-support/voicemail-routes-suite";

let cluster: PostgresCluster | undefined;

beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

describeVoicemailRoutes("PostgreSQL", async () => {
  if (cluster === undefined) throw new Error("the PostgreSQL cluster did not start (see the beforeAll error)");
  return openMigrated({ kind: "postgres", url: await cluster.createDatabase() });
});
