import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { freeUdpPort, startAsterisk, type PbxInstance } from "../../e2e/support/asterisk";
import { AmiClient } from "./ami-client";
import { header } from "./ami-message";
import { originate } from "./ami-originate";
import { keepAutoserviceBusy } from "./autoservice-keeper";
import { startAuthorizeStub, type AuthorizeStub } from "./testing/authorize-stub";
import { AmiEventLog, literal } from "./testing/event-log";
import { startSipFarEnd, type SipFarEnd } from "./testing/sip-far-end";
import { inviteAs } from "./testing/sip-uac";
import { callFailureFromResponse } from "../../src-shared/telephony/call-failure";

// pbx-config/asterisk/extensions.conf on a real Asterisk: calls enter from-users
// as Local channels (what a WebRTC user's INVITE runs), the authorize answer
// comes from a stub that records what it was asked, and the "phone network"
// behind test-trunk is a SIP stack on UDP that answers 486 Busy Here.
const allowed = "+12015550123";
const answers: Record<string, string> = {
  [allowed]: "result=allow&callerid=%2B81312345678&maxSeconds=600&record=0",
  "+12015550101": "result=deny&reason=no_credit",
  "+12015550102": "result=deny&reason=destination_blocked",
  "+12015550103": "result=deny&reason=caller_not_enabled",
  "+12015550104": "result=deny&reason=number_not_verified",
  "+12015550105": "result=deny&reason=something_new",
  "+12015550106": "<html>502 Bad Gateway</html>",
  "+12015550107": "result=allow&callerid=%2B1%22%29%7D&maxSeconds=600&record=0",
};

const alicePassword = "alice-pass-123";
let pbx: PbxInstance;
let authorize: AuthorizeStub;
let farEnd: SipFarEnd;
let ami: AmiClient;
let log: AmiEventLog;

beforeAll(async () => {
  authorize = await startAuthorizeStub(({ to }) => answers[to ?? ""] ?? "result=deny&reason=destination_blocked");
  const testTrunk = await freeUdpPort();
  farEnd = await startSipFarEnd(testTrunk, { code: 486, reason: "Busy Here" });
  pbx = await startAsterisk({
    instance: `vt-dialplan-${process.pid}`,
    authorizeUrl: authorize.url,
    ports: { testTrunk },
    extraModules: ["app_senddtmf.so"],
    devUsers: { alice: alicePassword },
  });
  const { amiHost, amiPort, amiUser, amiSecret } = pbx.facts;
  ami = new AmiClient({ host: amiHost, port: amiPort, username: amiUser, secret: amiSecret });
  log = new AmiEventLog(ami);
  await ami.connect();
}, 120_000);

afterAll(async () => {
  ami?.close();
  await pbx?.stop({ purge: true });
  await authorize?.close();
  await farEnd?.close();
});

/**
 * Calls `number` as user `endpoint` and resolves with the hangup cause of the
 * dialplan side, or undefined when Asterisk never even created that channel.
 */
async function callAs(endpoint: string, number: string, context = "from-users"): Promise<string | undefined> {
  const reply = await originate(ami, { channel: `Local/${number}@${context}`, application: "Wait", data: "1", variables: { CALLER_ENDPOINT: endpoint } });
  await log.waitFor("OriginateResponse", { actionid: header(reply, "actionid") ?? "" }, 15_000);
  const channel = new RegExp(`^Local/${literal(number)}@${context}-[0-9a-f]+;2$`);
  // The ;2 half's Newchannel can come after the OriginateResponse on a busy PBX: give it a moment before calling it absent.
  const created = await log.waitFor("Newchannel", { channel }, 2_000).catch(() => undefined);
  if (created === undefined) return undefined;
  return header(await log.waitFor("Hangup", { channel }), "cause");
}

describe("dialplan from-users", () => {
  it("a number with & , ; ( a letter, too few or too many digits, or no '+' never reaches the authorize URL nor the trunk", async () => {
    const bad = ["+1201555&0123", "+1201555,0123", "+1201555;0123", "+1(201)5550123", "+1201555abcd", "+1234567", "+1234567890123456", "+0201555012", "12015550123"];
    const before = { requests: authorize.requests.length, invites: farEnd.invites.length };
    const causes = await Promise.all(bad.map((number) => callAs("alice", number)));
    expect(causes.every((cause) => cause === undefined || cause === "28")).toBe(true);
    expect(causes.filter((cause) => cause === "28").length).toBeGreaterThanOrEqual(bad.length - 1);
    expect(authorize.requests.length).toBe(before.requests);
    expect(farEnd.invites.length).toBe(before.invites);
    expect(log.matching("DialBegin", { dialstring: /test-trunk/ }).filter((e) => bad.some((n) => (header(e, "dialstring") ?? "").includes(n)))).toEqual([]);
  }, 20_000);

  it("an authorized call asks the server once, then dials the trunk with the caller ID the server chose", async () => {
    const cause = await callAs("alice", allowed);
    const asked = authorize.requests.filter((request) => request.to === allowed);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ endpoint: "alice", secret: pbx.facts.authorizeSecret, uniqueid: expect.stringMatching(/\S/) as string });
    const invite = farEnd.invites.find((received) => received.requestUri.startsWith(`sip:${allowed}@127.0.0.1`));
    expect(invite?.from).toContain("sip:+81312345678@");
    // The far end answered 486: Dial's BUSY becomes cause 17 for the app.
    expect(cause).toBe("17");
  }, 20_000);

  it("each refusal from the server ends the call with its own hangup cause, and nothing is dialed", async () => {
    const expected: Record<string, string> = {
      "+12015550101": "57", // no_credit
      "+12015550102": "53", // destination_blocked
      "+12015550103": "50", // caller_not_enabled
      "+12015550104": "52", // number_not_verified
      "+12015550105": "31", // an unknown reason: denied
      "+12015550106": "38", // an answer that is not key=value: authorize_failed
      "+12015550107": "38", // a caller ID that is not E.164: authorize_failed
    };
    const invitesBefore = farEnd.invites.length;
    const numbers = Object.keys(expected);
    const causes = await Promise.all(numbers.map((number) => callAs("bob", number)));
    expect(Object.fromEntries(numbers.map((number, i) => [number, causes[i]]))).toEqual(expected);
    expect(farEnd.invites.length).toBe(invitesBefore);
  }, 20_000);

  it("Asterisk's own CDR store keeps each refused call with its reason", async () => {
    const db = new Database(pbx.facts.cdrDb, { readonly: true, fileMustExist: true });
    try {
      const reasonOf = (dst: string): unknown =>
        (db.prepare("SELECT userfield FROM cdr WHERE dst = ? AND channel LIKE '%;2'").get(dst) as { userfield?: string } | undefined)?.userfield;
      await expect.poll(() => reasonOf("+12015550101"), { timeout: 5_000 }).toBe("refused:no_credit");
      expect(reasonOf("+1201555&0123")).toBe("refused:invalid_number");
      expect(reasonOf(allowed)).toBe("authorized");
      const row = db.prepare("SELECT start, end, billsec FROM cdr WHERE dst = ?").get(allowed) as { start: string; end: string; billsec: string };
      expect(Number(row.end)).toBeGreaterThanOrEqual(Number(row.start));
      expect(Math.abs(Number(row.start) * 1000 - Date.now())).toBeLessThan(120_000);
    } finally {
      db.close();
    }
  });
});

describe("a user's own INVITE (SIP over UDP standing in for the WebRTC client)", () => {
  it("is identified as the user, and a refusal reaches the phone as a SIP status with the Q.850 cause", async () => {
    const port = pbx.facts.sipUdpPort;
    const uuid = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
    const [invalid, noCredit, blocked] = await Promise.all([
      inviteAs({ port, user: "alice", password: alicePassword, number: "+1201555" }),
      inviteAs({ port, user: "alice", password: alicePassword, number: "+12015550101", headers: [`X-Caller-Call-Id: ${uuid}`] }),
      inviteAs({ port, user: "alice", password: alicePassword, number: "+12015550102", headers: ["X-Caller-Call-Id: ABC&to=%2B19005551234&x=1;evil"] }),
    ]);
    expect(invalid).toEqual({ status: 484, reason: "Q.850;cause=28" });
    expect(noCredit).toEqual({ status: 603, reason: "Q.850;cause=57" });
    // The final response alone says "blocked" (its early media may reach the app after it), and a far end's decline (cause 21) is not read so.
    expect(blocked).toEqual({ status: 603, reason: "Q.850;cause=53" });
    expect(callFailureFromResponse(blocked.status, blocked.reason)).toBe("destination_blocked");
    const asked = (to: string) => authorize.requests.filter((request) => request.to === to && request.endpoint === "alice");
    expect(asked("+12015550101")).toHaveLength(1);
    // The softphone's X-Caller-Call-Id reaches the server; only [0-9a-f-] survive, so it can neither add a parameter nor change the number.
    expect(asked("+12015550101")[0]?.clientCallId).toBe(uuid);
    expect(asked("+12015550102")).toEqual([expect.objectContaining({ to: "+12015550102", clientCallId: "2190055512341e" })]);
  }, 15_000);

  it("passes the user's recording choice (X-Caller-Record, CALLER_RECORD) to authorize as one 0 or 1, empty when absent", async () => {
    const port = pbx.facts.sipUdpPort;
    await Promise.all([
      inviteAs({ port, user: "alice", password: alicePassword, number: "+12015550131", headers: ["X-Caller-Record: 0"] }),
      inviteAs({ port, user: "alice", password: alicePassword, number: "+12015550132", headers: ["X-Caller-Record: 1&record=0"] }),
      inviteAs({ port, user: "alice", password: alicePassword, number: "+12015550133" }),
    ]);
    const reply = await originate(ami, { channel: "Local/+12015550134@from-users", application: "Wait", data: "1", variables: { CALLER_ENDPOINT: "alice", CALLER_RECORD: "x0;1" } });
    await log.waitFor("OriginateResponse", { actionid: header(reply, "actionid") ?? "" }, 15_000);
    const recordOf = (to: string) => authorize.requests.filter((request) => request.to === to).map((request) => request.record);
    expect([recordOf("+12015550131"), recordOf("+12015550132"), recordOf("+12015550133"), recordOf("+12015550134")]).toEqual([["0"], ["1"], [""], ["0"]]);
  }, 20_000);

  it("a wrong password gets 401 again and never reaches the dialplan", async () => {
    const before = authorize.requests.length;
    const reply = await inviteAs({ port: pbx.facts.sipUdpPort, user: "alice", password: "wrong-password", number: "+12015550102" });
    expect(reply.status).toBe(401);
    expect(authorize.requests.length).toBe(before);
  });
});

describe("number verification contexts", () => {
  it("verify reads the code typed on the phone and hands it back as a UserEvent", async () => {
    // SendDTMF on the originating side stands in for the person pressing keys.
    await originate(ami, { channel: "Local/s@verify", application: "SendDTMF", data: "ww482193#", variables: { VERIFY_ID: "v-42" } });
    const event = await log.waitFor("UserEvent", { userevent: "CallerVerify", verifyid: "v-42" }, 10_000);
    expect(header(event, "digits")).toBe("482193");
    expect(header(event, "status")).toBe("OK");
  }, 15_000);

  it("verify-out dials only a well-formed number, with the caller ID the server gave", async () => {
    const invitesBefore = farEnd.invites.length;
    expect(await callAs("server", "+1201555&0123", "verify-out")).toBe("28");
    expect(farEnd.invites.length).toBe(invitesBefore);
    const reply = await originate(ami, {
      channel: "Local/+12015550188@verify-out",
      context: "verify",
      exten: "s",
      priority: 1,
      variables: { VERIFY_ID: "v-43", VERIFY_CALLERID: "+81312345678" },
    });
    await log.waitFor("OriginateResponse", { actionid: header(reply, "actionid") ?? "" }, 15_000);
    const invite = farEnd.invites.find((received) => received.requestUri.startsWith("sip:+12015550188@"));
    expect(invite?.from).toContain("sip:+81312345678@");
  }, 20_000);
});

describe("transfer to a teammate", () => {
  // An endpoint id with no registered app is offered the message instead (Answer, vm-intro, Record): nothing is dialed either.
  it("transfer-user dials nothing for an extension that is not an endpoint id, nor for one with no registered app, and never the trunk", async () => {
    const invitesBefore = farEnd.invites.length;
    for (const exten of ["u1-ABCDEFGHIJ", "u1-abc", "u1-abcdefghij&x", "u0-abcdefghij"]) {
      expect(await callAs("server", exten, "transfer-user"), exten).toBe("16");
    }
    await callAs("server", "u7-abcdefghij", "transfer-user");
    expect(log.matching("DialBegin", { context: "transfer-user" })).toEqual([]);
    expect(farEnd.invites.length).toBe(invitesBefore);
    // Only the well-formed endpoint id answered (for the message): Originate's channel came up for it alone.
    const answered = log.matching("OriginateResponse", { channel: /@transfer-user/ }).filter((e) => header(e, "response") === "Success");
    expect(answered.map((e) => header(e, "channel"))).toEqual([expect.stringMatching(/^Local\/u7-abcdefghij@transfer-user/)]);
  }, 40_000);
});

describe("SIP transports", () => {
  it("pjsip lists ws and wss, and the HTTP server upgrades both to SIP WebSockets", async () => {
    const status = await pbx.status();
    expect(status).toMatch(/^up$/m);
    expect(status).toMatch(/transport-ws ws/);
    expect(status).toMatch(/transport-wss wss/);
    const open = (url: string, options: WebSocket.ClientOptions = {}): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = new WebSocket(url, "sip", options);
        socket.once("open", () => {
          resolve(socket.protocol);
          socket.close();
        });
        socket.once("error", reject);
      });
    expect(await open(pbx.facts.wsUrl)).toBe("sip");
    // The self-signed certificate names IP 127.0.0.1, so it verifies with itself as the CA.
    expect(await open(pbx.facts.wssUrl, { ca: readFileSync(pbx.facts.tlsCert) })).toBe("sip");
  });
});

describe("autoservice keeper", () => {
  const until = async (check: () => boolean, ms: number): Promise<void> => {
    for (const deadline = Date.now() + ms; !check() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
  };
  const keeperChannels = async (): Promise<number> => (await pbx.cli("core show channels concise")).split("\n").filter((line) => line.includes("autoservice-keeper")).length;

  it("each AMI login starts it; one channel pair stays in a held CURL and a second keeper ends at once", async () => {
    const { amiHost, amiPort, amiUser, amiSecret } = pbx.facts;
    const errors: unknown[] = [];
    const clients = [0, 1].map(() => new AmiClient({ host: amiHost, port: amiPort, username: amiUser, secret: amiSecret }));
    try {
      keepAutoserviceBusy(clients[0]!, (error) => errors.push(error));
      await clients[0]!.connect();
      await until(() => authorize.holding === 1, 10_000);
      expect(authorize.holding).toBe(1);
      keepAutoserviceBusy(clients[1]!, (error) => errors.push(error));
      await clients[1]!.connect();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(authorize.holding).toBe(1);
      // Local/hold's two halves: the one in the CURL and the one idling.
      expect(await keeperChannels()).toBe(2);
      expect(errors).toEqual([]);
    } finally {
      for (const client of clients) client.close();
    }
  }, 20_000);
});
