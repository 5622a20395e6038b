/* eslint-disable no-restricted-imports -- the company server under test, started in the test's process; never code the core uses */
import type { Knex } from "knex";
import { buildServer } from "../../../../src-server/build-server";
import { findUserByEmail } from "../../../../src-server/db/users-repo";
import type { App } from "../../../../src-server/http/app";
import { directoryStorage } from "../../../../src-server/recordings/recording-storage";
import { insertCall, tempDir, tokenFor, type TempDir } from "../../../../src-server/recordings/testing/recording-fixtures";
import { demoCredentials, seedDemo } from "../../../../src-server/seed/demo";
import { openSqliteTestDb, type TestDb } from "../../../../src-server/test-support/test-db";
/* eslint-enable no-restricted-imports */

export interface RecordingServer {
  url: string;
  db: Knex;
  userId: number;
  /** A session of the demo sales user, whose recordings the tests upload. */
  token: string;
  /** The same user's email and password, for a core that signs in. */
  credentials: { email: string; password: string };
  /** A call of the sales user as the server knows it (ended unless said otherwise). */
  call(status?: "authorized" | "ended"): Promise<{ id: number; clientCallId: string }>;
  close(): Promise<void>;
}

/** The real company server over loopback HTTP, with recording storage and desktop uploads, the demo company recording on the desktop. */
export async function startRecordingServer(): Promise<RecordingServer> {
  const test: TestDb = await openSqliteTestDb();
  const store: TempDir = await tempDir("caller-core-rec-store-");
  await seedDemo(test.db, Date.now());
  const sales = (await findUserByEmail(test.db, demoCredentials.sales.email))!;
  await test.db("companies").where({ id: sales.companyId }).update({ recording_enabled: true, recording_source: "desktop" });
  const app: App = buildServer({ db: test.db, recordings: { storage: directoryStorage(store.path), pbx: null, uploadsDir: `${store.path}/.uploads` } });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  return {
    url: `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`,
    db: test.db,
    userId: sales.id,
    token: await tokenFor(test.db, demoCredentials.sales.email, Date.now()),
    credentials: demoCredentials.sales,
    call: (status = "ended") => insertCall(test.db, sales, status),
    async close() {
      await app.close();
      await test.close();
      await store.remove();
    },
  };
}
