import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeUdpPort, startAsterisk, type PbxInstance } from "../../e2e/support/asterisk";
import { inviteAs } from "./testing/sip-uac";

// Trunks carry no credentials: Asterisk must know them by the address they send from,
// never by the name in a From header. A call from a trunk lands in from-trunk, which asks
// the server whom to ring; with no server here it refuses with cause 41 (route_failed):
// that answer shows the caller was taken for the trunk; a 401 shows it was not.
let pbx: PbxInstance;
let providerPort: number;
let providerTransportPort: number;

beforeAll(async () => {
  providerPort = await freeUdpPort();
  providerTransportPort = await freeUdpPort();
  pbx = await startAsterisk({
    instance: `vt-trunkid-${process.pid}`,
    provider: { host: `127.0.0.1:${providerPort}`, user: "caller-account", password: "provider-pass-1", bind: "127.0.0.1", port: providerTransportPort },
  });
}, 120_000);

afterAll(async () => {
  await pbx?.stop({ purge: true });
});

const fromTrunk = { status: expect.any(Number) as number, reason: expect.stringContaining("cause=41") as string };

describe("trunks are identified by their address only", () => {
  it("test-trunk: from its own address and port the call is the trunk's; a From: test-trunk from elsewhere is challenged", async () => {
    const { sipUdpPort, testTrunkPort } = pbx.facts;
    expect(await inviteAs({ port: sipUdpPort, user: "test-trunk", number: "+12015550123", localPort: testTrunkPort })).toEqual(fromTrunk);
    expect(await inviteAs({ port: sipUdpPort, user: "test-trunk", number: "+12015550123" })).toMatchObject({ status: 401 });
    expect(await inviteAs({ port: sipUdpPort, user: "test-trunk", number: "+12015550123", localAddress: "127.0.0.5", localPort: testTrunkPort })).toMatchObject({ status: 401 });
    expect(await pbx.cli("pjsip show endpoint test-trunk")).toMatch(/identify_by\s*:\s*ip\s*$/m);
  });

  it("the provider template: the same, on the provider's transport", async () => {
    expect(await inviteAs({ port: providerTransportPort, user: "provider", number: "+12015550123", localPort: providerPort })).toEqual(fromTrunk);
    expect(await inviteAs({ port: providerTransportPort, user: "provider", number: "+12015550123" })).toMatchObject({ status: 401 });
    expect(await pbx.cli("pjsip show endpoint provider")).toMatch(/identify_by\s*:\s*ip\s*$/m);
  });
});
