import { openSqliteTestDb } from "../test-support/test-db";
import { describeDialerRoutes } from "../test-support/dialer-routes-suite";

describeDialerRoutes("SQLite", () => openSqliteTestDb());
