import { join } from "node:path";
import { buildServer } from "../../build-server";
import { findUserByEmail, type UserRecord } from "../../db/users-repo";
import type { App } from "../../http/app";
import { demoCredentials, seedDemo } from "../../seed/demo";
import { openSqliteTestDb, type TestDb } from "../../test-support/test-db";
import { directoryStorage } from "../recording-storage";
import { tempDir, type TempDir } from "./recording-fixtures";

/** A server that takes desktop recording uploads: the demo company seeded at `seededAt`, storage and uploads in a temp dir. */
export interface UploadRig {
  test: TestDb;
  app: App;
  store: TempDir;
  /** Where the partial uploads go (as the shipped server: beside the stored files). */
  uploadsDir: string;
  sales: UserRecord;
  close(): Promise<void>;
}

export async function startUploadRig(prefix: string, seededAt: number, now: () => number): Promise<UploadRig> {
  const test = await openSqliteTestDb();
  await seedDemo(test.db, seededAt);
  const store = await tempDir(prefix);
  const uploadsDir = join(store.path, ".uploads");
  const app = buildServer({ db: test.db, now, recordings: { storage: directoryStorage(store.path), pbx: null, uploadsDir } });
  await app.ready();
  const sales = (await findUserByEmail(test.db, demoCredentials.sales.email))!;
  return {
    test,
    app,
    store,
    uploadsDir,
    sales,
    async close() {
      await app.close();
      await test.close();
      await store.remove();
    },
  };
}
