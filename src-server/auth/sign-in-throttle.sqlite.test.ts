import { openDatabase } from "../db/open-database";
import { describeSignInThrottle } from "../test-support/sign-in-throttle-suite";
import { openSqliteTestDb } from "../test-support/test-db";

describeSignInThrottle("SQLite (better-sqlite3)", async () => {
  const opened = await openSqliteTestDb();
  return { ...opened, another: () => openDatabase({ kind: "sqlite", file: opened.file }) };
});
