import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAsterisk, type PbxInstance } from "../../e2e/support/asterisk";
import { AmiClient, type AmiClientOptions } from "./ami-client";
import { header } from "./ami-message";
import { originate } from "./ami-originate";
import { startAuthorizeStub, type AuthorizeStub } from "./testing/authorize-stub";
import { AmiEventLog, literal } from "./testing/event-log";
import { startTcpProxy, type TcpProxy } from "./testing/tcp-proxy";

// One real Asterisk for this file, on ports of its own (booted through pbx.sh).
let pbx: PbxInstance;
let authorize: AuthorizeStub;
/** Numbers whose authorize answer is held this long, keeping an Originate in flight. */
const holdMs = new Map<string, number>();
const clients: AmiClient[] = [];
let proxy: TcpProxy | undefined;

beforeAll(async () => {
  authorize = await startAuthorizeStub(async ({ to }) => {
    await new Promise((resolve) => setTimeout(resolve, holdMs.get(to ?? "") ?? 0));
    return "result=deny&reason=no_credit";
  });
  pbx = await startAsterisk({ instance: `vt-ami-${process.pid}`, authorizeUrl: authorize.url });
}, 120_000);

afterAll(async () => {
  await pbx?.stop({ purge: true });
  await authorize?.close();
}, 60_000);

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await proxy?.close();
  proxy = undefined;
});

function client(overrides: Partial<AmiClientOptions> = {}): AmiClient {
  const { amiHost, amiPort, amiUser, amiSecret } = pbx.facts;
  const created = new AmiClient({ host: amiHost, port: amiPort, username: amiUser, secret: amiSecret, ...overrides });
  clients.push(created);
  return created;
}

const hitsFor = (number: string): number => authorize.requests.filter((request) => request.to === number).length;

/** Settles at once so a rejection while the test awaits something else is never "unhandled". */
function outcome(promise: Promise<unknown>): Promise<{ code?: string } | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => error as { code?: string },
  );
}

describe("AMI client against a real Asterisk", () => {
  it("logs in with the secret pbx.sh generated and reads the dialplan's globals", async () => {
    const ami = client();
    await ami.connect();
    expect(ami.state).toBe("connected");
    const reply = await ami.action({ Action: "Getvar", Variable: "TRUNK" });
    expect(header(reply, "value")).toBe("test-trunk");
  });

  it("a wrong secret is refused with ami_login_failed saying why", async () => {
    const ami = client({ secret: "not-the-secret" });
    await expect(ami.connect()).rejects.toMatchObject({
      code: "ami_login_failed",
      message: expect.stringMatching(/refused the login of 'caller-server': Authentication failed/) as string,
    });
    expect(ami.state).toBe("disconnected");
  });

  it("a value carrying CR LF and a second action stays one value: nothing is originated", async () => {
    const ami = client();
    const log = new AmiEventLog(ami);
    await ami.connect();
    const injected = "x\r\nAction: Originate\r\nChannel: Local/+12015550199@from-users\r\nApplication: Wait\r\nData: 1";
    await ami.action({ Action: "Setvar", Variable: "CALLER_INJECTION_PROBE", Value: injected });
    const reply = await ami.action({ Action: "Getvar", Variable: "CALLER_INJECTION_PROBE" });
    expect(header(reply, "value")).toBe("xAction: OriginateChannel: Local/+12015550199@from-usersApplication: WaitData: 1");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(log.matching("Newchannel")).toEqual([]);
    expect(hitsFor("+12015550199")).toBe(0);
  });

  it("an Originate in flight when the AMI TCP connection is cut is rejected, never replayed, and the client reconnects", async () => {
    proxy = await startTcpProxy(pbx.facts.amiPort);
    const ami = client({ port: proxy.port, backoff: { initialMs: 100, maxMs: 1_000, factor: 2 } });
    const observer = client();
    const seen = new AmiEventLog(observer);
    await Promise.all([ami.connect(), observer.connect()]);
    const number = "+12015550111";
    holdMs.set(number, 1_500);
    const call = outcome(originate(ami, { channel: `Local/${number}@from-users`, application: "Wait", data: "1", async: false, ringTimeoutMs: 10_000 }));
    await expect.poll(() => hitsFor(number)).toBe(1);
    proxy.cutAll();
    expect((await call)?.code).toBe("ami_connection_lost");
    await ami.waitUntilConnected(5_000);
    await ami.action({ Action: "Ping" });
    // The held answer lets the first call finish; a replay would show up as a second channel and request.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(hitsFor(number)).toBe(1);
    expect(seen.matching("Newchannel", { channel: new RegExp(`^Local/${literal(number)}@from-users-.*;1$`) })).toHaveLength(1);
  });

  it("after `core restart now` the client logs in again and the Originate that was in flight is not sent twice", async () => {
    const ami = client({ backoff: { initialMs: 100, maxMs: 1_000, factor: 2 } });
    const states: string[] = [];
    ami.on("state", (state) => states.push(state));
    await ami.connect();
    const number = "+12015550122";
    holdMs.set(number, 1_000);
    const call = outcome(originate(ami, { channel: `Local/${number}@from-users`, application: "Wait", data: "1", async: false, ringTimeoutMs: 10_000 }));
    await expect.poll(() => hitsFor(number)).toBe(1);
    await pbx.cli("core restart now");
    // Asterisk may hang the call up (answering "Originate failed") before it closes AMI.
    expect(["ami_connection_lost", "ami_action_failed"]).toContain((await call)?.code);
    // Under load the client may first reach the old Asterisk on its way down and drop again; it must end up connected.
    const trunk = async () => {
      try {
        await ami.waitUntilConnected(15_000);
        return header(await ami.action({ Action: "Getvar", Variable: "TRUNK" }), "value");
      } catch {
        return null;
      }
    };
    await expect.poll(trunk, { timeout: 25_000, interval: 200 }).toBe("test-trunk");
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(hitsFor(number)).toBe(1);
    expect(states.slice(0, 3)).toEqual(["connecting", "connected", "backing-off"]);
    expect(states.at(-1)).toBe("connected");
  }, 60_000);
});
