import { describe, expect, it } from "vitest";
import { aclUpdateActions, denyRule, denyValues, sipBanAclName } from "./sip-ban-acl";

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
