import { startTestServer } from "../test-support/test-server";
import { describeMonthEnd } from "./testing/month-end-suite";
import { testPbx } from "./testing/credit-rig";

describeMonthEnd("SQLite", () => startTestServer({ pbx: testPbx }), (server) => server.close());
