import { afterEach, describe, expect, it } from "vitest";
import { CallerError } from "../../src-shared/errors";
import type { AmiMessage } from "../pbx/ami-message";
import type { AmiAction } from "../pbx/ami-sanitize";
import type { AmiState } from "../pbx/ami-state";
import { openSqliteTestDb, type TestDb } from "../test-support/test-db";
import { CallHangups } from "./call-hangups";

// A server with several PBXs (the scale topology) holds one AMI connection per PBX; a revoked
// user's call may be on any of them. Fakes stand for the AMI connections: what is checked here is
// which connections CallHangups asks.

interface FakeAmi {
  state: AmiState;
  sent: AmiAction[];
  action(action: AmiAction): Promise<AmiMessage>;
}

function fakeAmi(state: AmiState, hasChannel: boolean): FakeAmi {
  const ami: FakeAmi = {
    state,
    sent: [],
    action(action) {
      ami.sent.push(action);
      // Asterisk answers a Hangup for a channel it does not have with an error response.
      return hasChannel ? Promise.resolve({ response: "Success" } as unknown as AmiMessage) : Promise.reject(new CallerError("ami_action_failed", "No such channel"));
    },
  };
  return ami;
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
let test: TestDb | null = null;

afterEach(async () => {
  await test?.close();
  test = null;
});

describe("CallHangups with several PBXs", () => {
  it("asks every connected PBX to hang up the revoked user's channels, not only the last one attached", async () => {
    test = await openSqliteTestDb();
    const hangups = new CallHangups({ db: test.db, log: quiet });
    const [first, second] = [fakeAmi("connected", true), fakeAmi("connected", false)];
    hangups.attach(first);
    hangups.attach(second);
    expect(await hangups.hangUpUser(7)).toBe(1);
    for (const ami of [first, second]) {
      expect(ami.sent).toEqual([{ Action: "Hangup", Channel: "/^PJSIP/u7-[a-z2-7]{10}-[0-9a-f]+$/", Cause: 50 }]);
    }
  });

  it("skips a PBX whose AMI is down and still hangs up on the others", async () => {
    test = await openSqliteTestDb();
    const warnings: string[] = [];
    const hangups = new CallHangups({ db: test.db, log: { ...quiet, warn: (_: object, message: string) => warnings.push(message) } });
    const [down, up] = [fakeAmi("disconnected", true), fakeAmi("connected", true)];
    hangups.attach(down);
    hangups.attach(up);
    expect(await hangups.hangUpUser(7)).toBe(1);
    expect(down.sent).toEqual([]);
    expect(up.sent).toHaveLength(1);
    expect(warnings).toHaveLength(1);
  });

  it("with no PBX connected, does nothing and says so", async () => {
    test = await openSqliteTestDb();
    const warnings: string[] = [];
    const hangups = new CallHangups({ db: test.db, log: { ...quiet, warn: (_: object, message: string) => warnings.push(message) } });
    expect(await hangups.hangUpUser(7)).toBe(0);
    expect(warnings).toHaveLength(1);
  });
});
