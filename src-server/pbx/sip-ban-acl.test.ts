import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { openSqliteTestDb } from "../test-support/test-db";
import type { AmiAction } from "./ami-sanitize";
import type { AmiMessage } from "./ami-message";
import { aclUpdateActions, denyRule, denyValues, SipBanAcl, sipBanAclName, type SipBanAclAmi } from "./sip-ban-acl";
import { banSipAddress } from "./sip-bans";

/** An AMI connection that records what it is sent; a hung one never answers. */
class RecordingAmi extends EventEmitter implements SipBanAclAmi {
  readonly state = "connected" as const;
  readonly sent: AmiAction[] = [];
  constructor(private readonly hung: boolean) {
    super();
  }
  action(action: AmiAction): Promise<AmiMessage> {
    this.sent.push(action);
    return this.hung ? new Promise(() => undefined) : Promise.resolve({ response: "Success" } as AmiMessage);
  }
  reloads(): number {
    return this.sent.filter((action) => action.Action === "Reload").length;
  }
}

// What the server sends Asterisk to rewrite acl.conf's [sip-bans]; that Asterisk applies it
// (403 to a banned source, a call and a registration untouched) is sip-bans-pbx.test.ts.
describe("the SIP ban list as acl.conf updates", () => {
  it("denies each address as a single host, IPv4 and IPv6", () => {
    expect(denyRule("203.0.113.7")).toBe("203.0.113.7/32");
    expect(denyRule("2001:db8::1")).toBe("2001:db8::1/128");
  });

  it("with no ban, empties the section and adds nothing (the named ACL stays, allowing all)", () => {
    expect(aclUpdateActions([])).toEqual([{ Action: "UpdateConfig", SrcFilename: "acl.conf", DstFilename: "acl.conf", "Action-000000": "EmptyCat", "Cat-000000": sipBanAclName }]);
  });

  it("packs rules into deny lines under AMI's line length, and lines into messages under its 128 headers", () => {
    const rules = Array.from({ length: 3_000 }, (_, i) => denyRule(`10.${Math.floor(i / 250)}.${i % 250}.1`));
    const values = denyValues(rules);
    expect(values.every((value) => value.length <= 900)).toBe(true);
    expect(values.join(",").split(",")).toEqual(rules);
    const actions = aclUpdateActions(rules);
    expect(actions.length).toBeGreaterThan(1);
    for (const action of actions) expect(Object.keys(action).length + 1).toBeLessThanOrEqual(128);
    // Only the first empties the section; all the deny values arrive, in order, once.
    expect(actions.map((action) => action["Action-000000"])).toEqual(["EmptyCat", ...actions.slice(1).map(() => "Append")]);
    const appended = actions.flatMap((action) => Object.entries(action).filter(([key]) => key.startsWith("Value-")).map(([, value]) => value));
    expect(appended).toEqual(values);
    expect(actions.flatMap((action) => Object.entries(action).filter(([key]) => key.startsWith("Var-")).map(([, value]) => value)).every((v) => v === "deny")).toBe(true);
  });
});

describe("keeping each Asterisk's ACL current", () => {
  it("one Asterisk whose AMI hangs delays no other: a new ban reaches the healthy one at once, and the hung one is not sent a second update over its first", async () => {
    const store = await openSqliteTestDb();
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const acl = new SipBanAcl({ db: store.db, now: Date.now, log: quiet, intervalMs: 60_000 });
    const hung = new RecordingAmi(true);
    const healthy = new RecordingAmi(false);
    acl.attach(hung);
    acl.attach(healthy);
    try {
      void acl.sync();
      await expect.poll(() => healthy.reloads()).toBe(1);
      await banSipAddress(store.db, { address: "203.0.113.9", failures: 5, firstFailureAt: Date.now(), now: Date.now(), durationMs: 60_000 });
      // This pass must not wait for the hung connection's update still under way.
      await acl.sync();
      expect(healthy.reloads()).toBe(2);
      expect(healthy.sent.at(-2)).toMatchObject({ "Action-000001": "Append", "Value-000001": "203.0.113.9/32" });
      expect(hung.sent).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
