import { afterAll } from "vitest";
import { startPostgres, type PostgresCluster } from "../test-support/postgres";
import { openMigrated, type TestDb } from "../test-support/test-db";
import { startTestServer } from "../test-support/test-server";
import { describeMonthEnd } from "./testing/month-end-suite";
import { testPbx } from "./testing/credit-rig";

let cluster: PostgresCluster | undefined;
let handle: TestDb | undefined;

afterAll(async () => {
  await handle?.close();
  await cluster?.stop();
});

describeMonthEnd(
  "PostgreSQL",
  async () => {
    cluster = await startPostgres();
    handle = await openMigrated({ kind: "postgres", url: await cluster.createDatabase() });
    return startTestServer({ db: handle.db, pbx: testPbx });
  },
  (server) => server.close(),
);
