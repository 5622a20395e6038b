import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HistoryCall } from "../../src-shared/api/contract";
import type { ChangesReply } from "../../src-shared/server-api/changes";
import { hashPassword } from "../auth/password";
import { defaultDestinationPolicy } from "../calls/destination-policy";
import { addCredit } from "../credits/testing/credit-rig";
import { listUserCalls, type CallRecord } from "../db/calls-repo";
import { createCompany, type NewCompany } from "../db/companies-repo";
import { ensureEndpoint, revokeEndpoints } from "../db/pbx-endpoints-repo";
import { createUser, findUserByEmail, setCallerEnabled, type UserRecord } from "../db/users-repo";
import type { PbxServerConfig } from "../pbx/pbx-server-config";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";

const pbx: PbxServerConfig = { secret: "0123456789abcdef0123456789abcdef", wsUrl: "ws://127.0.0.1:8088/ws", sipDomain: "127.0.0.1", iceServers: [], ami: null, cdrStore: null };
const policy = { ...defaultDestinationPolicy, blockedPrefixes: ["+8150"] };

let server: TestServer;
const logLines: string[] = [];
/** Endpoint ids by who holds them. */
const endpoints: Record<string, string> = {};
const users: Record<string, UserRecord> = {};

async function companyUser(key: string, company: Partial<NewCompany> & { maxCallSeconds?: number }, user: { role?: "admin" | "regular"; callerEnabled?: boolean; verifiedNumber?: string | null } = {}): Promise<void> {
  const { maxCallSeconds, ...fields } = company;
  const created = await createCompany(server.db, { name: key, plan: "professional", isTrial: false, country: "JP", currency: "USD", timeZone: "UTC", ...fields }, server.clock.now);
  if (maxCallSeconds !== undefined) await server.db("companies").where({ id: created.id }).update({ max_call_seconds: maxCallSeconds });
  // Enough credit that only the rule under test limits the call.
  await addCredit(server, created.id, 5_000_000, `test-credit-${key}`);
  const record = await createUser(
    server.db,
    { companyId: created.id, email: `${key}@example.com`, name: key, role: user.role ?? "regular", callerEnabled: user.callerEnabled ?? true, locale: null, passwordHash: await hashPassword("x"), verifiedNumber: user.verifiedNumber === undefined ? "+81312340000" : user.verifiedNumber },
    server.clock.now,
  );
  users[key] = record;
  endpoints[key] = (await ensureEndpoint(server.db, record, server.clock.now)).endpointId;
}

beforeAll(async () => {
  server = await startTestServer({ pbx, listen: true, destinationPolicy: policy, logLines });
  for (const [key, credentials] of Object.entries({ sales: demoCredentials.sales, admin: demoCredentials.admin, other: demoCredentials.otherAdmin })) {
    users[key] = (await findUserByEmail(server.db, credentials.email))!;
    endpoints[key] = (await ensureEndpoint(server.db, users[key], server.clock.now)).endpointId;
  }
  await companyUser("trial", { isTrial: true });
  await companyUser("trialLow", { isTrial: true, maxCallSeconds: 300 });
  await companyUser("short", { maxCallSeconds: 120 });
  await companyUser("noMinutes", { maxCallSeconds: 0 });
  await companyUser("essential", { plan: "essential" }, { role: "admin" });
  await companyUser("disabled", {});
  await setCallerEnabled(server.db, users.disabled!.companyId, users.disabled!.id, false);
  await companyUser("revoked", {});
  await revokeEndpoints(server.db, users.revoked!.id, server.clock.now);
});

afterAll(async () => {
  await server?.close();
});

async function authorize(query: Record<string, string>, secret = pbx.secret): Promise<{ status: number; body: string }> {
  const reply = await fetch(`${server.url}/pbx/authorize?${new URLSearchParams(query).toString()}`, { headers: { "x-caller-pbx-secret": secret } });
  return { status: reply.status, body: await reply.text() };
}

/** The record is written right after the answer leaves: wait for it. */
async function recorded(userId: number, uniqueid: string): Promise<CallRecord> {
  const find = async () => (await listUserCalls(server.db, userId)).find((c) => c.pbxUniqueid === uniqueid);
  await expect.poll(find, { timeout: 2_000, interval: 10 }).toBeDefined();
  return (await find())!;
}

const allow = (callerid: string, maxSeconds: number): string => `result=allow&callerid=${encodeURIComponent(callerid)}&maxSeconds=${maxSeconds}&record=0`;
const deny = (reason: string): string => `result=deny&reason=${reason}`;

describe("GET /pbx/authorize over HTTP", () => {
  it.each([
    ["sales", "+12015550123", allow("+819012345678", 3600)],
    ["admin", "+819012345678", allow("+81312345678", 3600)],
    ["trial", "+12015550123", allow("+81312340000", 600)],
    ["trialLow", "+12015550123", allow("+81312340000", 300)],
    ["short", "+12015550123", allow("+81312340000", 120)],
    ["noMinutes", "+12015550123", deny("no_credit")],
    ["essential", "+12015550123", deny("caller_not_enabled")],
    ["disabled", "+12015550123", deny("caller_not_enabled")],
    ["revoked", "+12015550123", deny("caller_not_enabled")],
    ["sales", "+1201555", deny("invalid_number")],
    ["sales", "+819901234567", deny("invalid_number")],
    ["sales", "12015550123", deny("invalid_number")],
    ["sales", "+19005551234", deny("destination_blocked")],
    ["sales", "+448712345678", deny("destination_blocked")],
    ["sales", "+815012345678", deny("destination_blocked")],
    ["other", "+12015550123", deny("number_not_verified")],
  ])("%s calling %s: %s", async (who, to, expected) => {
    const uniqueid = `pbx-${randomUUID()}`;
    const clientCallId = randomUUID();
    const reply = await authorize({ endpoint: endpoints[who]!, to, uniqueid, clientCallId });
    expect(reply).toEqual({ status: 200, body: expected });
    const call = await recorded(users[who]!.id, uniqueid);
    expect(call).toMatchObject({
      clientCallId,
      number: to,
      status: expected.startsWith("result=allow") ? "authorized" : "refused",
      disposition: expected.startsWith("result=allow") ? "in_progress" : `refused:${expected.split("reason=")[1]}`,
      startedAt: server.clock.now,
    });
  });

  it("answers an endpoint it does not know with caller_not_enabled and records nothing", async () => {
    const before = await server.db("calls").count<{ n: number }[]>({ n: "*" });
    for (const endpoint of ["alice", "u999-abcdefghij", "", "u1-x' OR 1=1"]) {
      expect(await authorize({ endpoint, to: "+12015550123", uniqueid: `pbx-${randomUUID()}` })).toEqual({ status: 200, body: deny("caller_not_enabled") });
    }
    expect(await server.db("calls").count<{ n: number }[]>({ n: "*" })).toEqual(before);
  });

  it("keeps one record per uniqueid when asked twice, ignores a malformed client call id, and tells the caller and the company's admins", async () => {
    const uniqueid = `pbx-${randomUUID()}`;
    const feed = async (token: string): Promise<ChangesReply> =>
      (await server.app.inject({ method: "GET", url: "/api/changes?limit=5000", headers: bearer(token) })).json<ChangesReply>();
    const salesToken = await server.sessionFor(demoCredentials.sales);
    const adminToken = await server.sessionFor(demoCredentials.admin);
    const before = (await feed(salesToken)).changes.length;
    const query = { endpoint: endpoints.sales!, to: "+12015550123", uniqueid, clientCallId: "../../etc" };
    expect((await authorize(query)).body).toBe(allow("+819012345678", 3600));
    expect((await authorize(query)).body).toBe(allow("+819012345678", 3600));
    await recorded(users.sales!.id, uniqueid);
    const calls = (await listUserCalls(server.db, users.sales!.id)).filter((c) => c.pbxUniqueid === uniqueid);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.clientCallId).toBeNull();

    const added = (await feed(salesToken)).changes.slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ entity: "call", entityId: String(calls[0]!.id), op: "upsert" });
    expect(HistoryCall.parse(added[0]!.data)).toEqual({
      id: String(calls[0]!.id), direction: "outbound", number: "+12015550123", startedAt: server.clock.now, answeredAt: null, endedAt: null,
      billedSeconds: 0, disposition: "in_progress", costMicros: null, outcome: null, outcomeKey: null, notes: null, userId: String(users.sales!.id),
    });
    // The company's admins mirror every user's calls (docs/sync-rules.md); regular users only their own (src-server/crm/sync-edits.test.ts).
    expect((await feed(adminToken)).changes.some((c) => c.entity === "call" && c.entityId === String(calls[0]!.id))).toBe(true);
  });

  it("refuses a request without the secret, with a wrong one, or missing the uniqueid", async () => {
    const query = { endpoint: endpoints.sales!, to: "+12015550123", uniqueid: "pbx-x" };
    expect((await authorize(query, "wrong")).status).toBe(401);
    expect((await fetch(`${server.url}/pbx/authorize?${new URLSearchParams(query).toString()}`)).status).toBe(401);
    expect((await authorize({ endpoint: endpoints.sales!, to: "+12015550123" })).status).toBe(400);
  });
});

describe("GET /pbx/authorize over a socket (the fast lane) and through Fastify's route (inject)", () => {
  it("answers alike: decisions, refusals and malformed queries", async () => {
    const good = pbx.secret;
    const requests: { search: string; secret: string | null }[] = [
      { search: new URLSearchParams({ endpoint: endpoints.sales!, to: "+12015550123" }).toString(), secret: good },
      { search: new URLSearchParams({ endpoint: endpoints.noMinutes!, to: "+12015550123" }).toString(), secret: good },
      { search: new URLSearchParams({ endpoint: endpoints.sales!, to: "+19005551234" }).toString(), secret: good },
      { search: new URLSearchParams({ endpoint: endpoints.sales!, to: "+12015550123" }).toString(), secret: "wrong" },
      { search: new URLSearchParams({ endpoint: endpoints.sales!, to: "+12015550123" }).toString(), secret: null },
      { search: `endpoint=${endpoints.sales!}&to=%2B12015550123&to=%2B12015550124`, secret: good },
      { search: `endpoint=${"u".repeat(81)}&to=%2B12015550123`, secret: good },
    ];
    for (const { search, secret } of requests) {
      const headers = secret === null ? undefined : { "x-caller-pbx-secret": secret };
      // Each answer for its own uniqueid, so neither is a repeat of the other.
      const url = (uniqueid: string): string => `/pbx/authorize?${search}&uniqueid=${uniqueid}`;
      const socket = await fetch(`${server.url}${url(`pbx-${randomUUID()}`)}`, { headers });
      const injected = await server.app.inject({ method: "GET", url: url(`pbx-${randomUUID()}`), headers });
      const viaSocket = { status: socket.status, type: socket.headers.get("content-type"), body: await socket.text() };
      expect({ status: injected.statusCode, type: injected.headers["content-type"], body: injected.body }, search).toEqual(viaSocket);
    }
  });
});

describe("GET /pbx/authorize: what Asterisk would never send", () => {
  const paths = ["socket", "inject"] as const;
  async function ask(path: (typeof paths)[number], query: Record<string, string>): Promise<{ status: number; body: string }> {
    const url = `/pbx/authorize?${new URLSearchParams(query).toString()}`;
    const headers = { "x-caller-pbx-secret": pbx.secret };
    if (path === "inject") {
      const reply = await server.app.inject({ method: "GET", url, headers });
      return { status: reply.statusCode, body: reply.body };
    }
    const reply = await fetch(`${server.url}${url}`, { headers });
    return { status: reply.status, body: await reply.text() };
  }
  const callCount = async (): Promise<number> => Number((await server.db("calls").count<{ n: number }[]>({ n: "*" }))[0]?.n);

  it.each(paths)("via %s: a uniqueid with CR/LF or another control character is refused with 400, and nothing is recorded", async (path) => {
    const before = await callCount();
    for (const bad of ["pbx-1\r\nX-Injected: 1", "pbx-2\n", "pbx-3\u0000", "pbx-4\u001b[31m", "pbx-5\u2028", "pbx-6\u202e", "pbx-7\u0085"]) {
      const reply = await ask(path, { endpoint: endpoints.sales!, to: "+12015550123", uniqueid: bad });
      expect(reply.status, JSON.stringify(bad)).toBe(400);
      expect(JSON.parse(reply.body)).toMatchObject({ code: "bad_request", message: expect.stringContaining("querystring.uniqueid") as string });
      expect(reply.body).not.toContain("X-Injected");
    }
    // The number and the endpoint are held to the same rule.
    expect((await ask(path, { endpoint: endpoints.sales!, to: "+12015550123\r\n", uniqueid: `pbx-${randomUUID()}` })).status).toBe(400);
    expect((await ask(path, { endpoint: `${endpoints.sales!}\n`, to: "+12015550123", uniqueid: `pbx-${randomUUID()}` })).status).toBe(400);
    // Give a wrongly accepted request's record time to be written.
    await server.app.inject({ method: "GET", url: "/api/health" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await callCount()).toBe(before);
  });

  it.each(paths)("via %s: a uniqueid asked again for its own number is answered again; for another number or caller it is refused and the first call keeps its record and hold", async (path) => {
    const credits = server.credits;
    const companyId = users.sales!.companyId;
    const uniqueid = `pbx-${randomUUID()}`;
    const first = { endpoint: endpoints.sales!, to: "+12015550123", uniqueid };
    const heldBefore = await credits.reservedMicros(companyId);
    expect(await ask(path, first)).toEqual({ status: 200, body: allow("+819012345678", 3600) });
    const held = await credits.reservedMicros(companyId);
    expect(held).toBeGreaterThan(heldBefore);
    // At once (the first record may not be committed yet) and after it is.
    expect(await ask(path, { ...first, to: "+12015550124" })).toEqual({ status: 200, body: deny("denied") });
    await recorded(users.sales!.id, uniqueid);
    expect(await ask(path, { ...first, to: "+442071234567" })).toEqual({ status: 200, body: deny("denied") });
    expect(await ask(path, { ...first, endpoint: endpoints.admin! })).toEqual({ status: 200, body: deny("denied") });
    expect(await credits.reservedMicros(companyId)).toBe(held);
    expect(await ask(path, first)).toEqual({ status: 200, body: allow("+819012345678", 3600) });
    expect(await credits.reservedMicros(companyId)).toBe(held);
    const calls = (await listUserCalls(server.db, users.sales!.id)).filter((c) => c.pbxUniqueid === uniqueid);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ number: "+12015550123", status: "authorized" });
    expect((await listUserCalls(server.db, users.admin!.id)).some((c) => c.pbxUniqueid === uniqueid)).toBe(false);
  });

  it.each(paths)("via %s: a call refused once stays refused under its uniqueid, even when it would now be allowed", async (path) => {
    const uniqueid = `pbx-${randomUUID()}`;
    const query = { endpoint: endpoints.other!, to: "+12015550123", uniqueid };
    expect(await ask(path, query)).toEqual({ status: 200, body: deny("number_not_verified") });
    await recorded(users.other!.id, uniqueid);
    await server.db("users").where({ id: users.other!.id }).update({ verified_number: "+81312345679" });
    try {
      expect(await ask(path, query)).toEqual({ status: 200, body: deny("number_not_verified") });
      expect(await ask(path, { ...query, uniqueid: `pbx-${randomUUID()}` })).toEqual({ status: 200, body: allow("+81312345679", 3600) });
    } finally {
      await server.db("users").where({ id: users.other!.id }).update({ verified_number: null });
    }
  });
});

describe("GET /pbx/authorize/hold (the PBX's autoservice keeper)", () => {
  it("refuses a request without the secret, holds the PBX's, and answers it the moment the server closes", async () => {
    const own = await startTestServer({ pbx, listen: true });
    expect((await fetch(`${own.url}/pbx/authorize/hold`)).status).toBe(401);
    let settled = false;
    const held = fetch(`${own.url}/pbx/authorize/hold`, { headers: { "x-caller-pbx-secret": pbx.secret } }).then(async (reply) => {
      settled = true;
      return { status: reply.status, body: await reply.text() };
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    const closing = Date.now();
    await own.close();
    expect(await held).toEqual({ status: 200, body: "held" });
    expect(Date.now() - closing).toBeLessThan(5_000);
  });
});

describe("POST /pbx/realtime/<family>/<op> over HTTP (res_config_curl)", () => {
  const realtime = async (path: string, body: string, secret = pbx.secret): Promise<{ status: number; body: string }> => {
    const reply = await fetch(`${server.url}/pbx/realtime/${path}`, {
      method: "POST",
      headers: { "x-caller-pbx-secret": secret, "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    return { status: reply.status, body: await reply.text() };
  };
  const fields = (line: string): Record<string, string> => Object.fromEntries(new URLSearchParams(line));

  it("serves a user's endpoint, auth and aor by id, with the endpoint as accountcode", async () => {
    const id = endpoints.sales!;
    const endpoint = await realtime("ps_endpoints/single", `id=${id}`);
    expect(endpoint.status).toBe(200);
    expect(endpoint.body.startsWith(`id=${id}&`)).toBe(true);
    expect(fields(endpoint.body)).toMatchObject({ id, context: "from-users", webrtc: "yes", allow: "opus,ulaw,alaw", auth: id, aors: id, accountcode: id });
    const auth = fields((await realtime("ps_auths/single", `id=${id}`)).body);
    const stored = await server.db("pbx_endpoints").where({ endpoint_id: id }).first<{ sip_password: string } | undefined>("sip_password");
    expect(auth).toEqual({ id, auth_type: "userpass", username: id, password: stored?.sip_password });
    expect(fields((await realtime("ps_aors/single", `id=${id}`)).body)).toMatchObject({ id, max_contacts: "3" });
  });

  it("serves nothing for a revoked, disabled, plan-less or unknown endpoint", async () => {
    for (const id of [endpoints.revoked!, endpoints.disabled!, endpoints.essential!, "u999-abcdefghij", `${endpoints.sales!}@127.0.0.1`, "anonymous"]) {
      expect(await realtime("ps_endpoints/single", `id=${encodeURIComponent(id)}`)).toEqual({ status: 200, body: "" });
    }
  });

  it("answers no list and no wildcard: every other look-up of users' objects gets nothing, and a warning naming no value", async () => {
    const before = logLines.length;
    const refused: [string, string][] = [
      ["ps_auths/multi", "id%20LIKE=%25"],
      ["ps_auths/multi", `id=${endpoints.sales!}`],
      ["ps_auths/single", "id%20LIKE=%25"],
      ["ps_auths/single", `id%20LIKE=${encodeURIComponent(`u${users.sales!.id}-%`)}`],
      ["ps_auths/single", "username=x&password=hunter2"],
      ["ps_auths/single", `id=${endpoints.sales!}&auth_type=userpass`],
      ["ps_endpoints/multi", "id%20LIKE=%25"],
      ["ps_aors/multi", "id%20LIKE=%25"],
      ["ps_endpoints/single", "id%20!%3D=x"],
      ["ps_endpoints/single", "id%20REGEXP=x"],
      ["ps_endpoints/single", ""],
    ];
    for (const [path, body] of refused) expect([path, body, await realtime(path, body)]).toEqual([path, body, { status: 200, body: "" }]);
    const warnings = logLines.slice(before).map((line) => JSON.parse(line) as { level: number; msg: string; lookup: string });
    expect(warnings).toHaveLength(refused.length);
    expect(warnings.every((w) => w.level === 40 && /look-up refused/.test(w.msg))).toBe(true);
    expect(warnings[0]?.lookup).toBe("ps_auths/multi id LIKE");
    const text = logLines.slice(before).join("");
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain(endpoints.sales!);
  });

  it("never lets Asterisk write (an empty answer is a failure to res_config_curl), and refuses what it does not know", async () => {
    expect((await realtime("ps_endpoints/store", "id=u1-abcdefghij&context=x")).body).toBe("");
    expect((await realtime("ps_endpoints/update", "context=x")).body).toBe("");
    expect((await realtime("ps_auths/destroy", `id=${endpoints.sales!}`)).body).toBe("");
    expect((await realtime("ps_contacts/single", "id=x")).status).toBe(404);
    // The SIP ban list is written into acl.conf over AMI (sip-ban-acl.ts), never read from here.
    expect((await realtime("ps_acls/multi", "id%20LIKE=%25")).status).toBe(404);
    const before = logLines.length;
    expect((await realtime("ps_endpoints/single", `id=${endpoints.sales!}`, "guessed-secret-7f3a")).status).toBe(401);
    expect(logLines.slice(before).join("")).not.toContain("guessed-secret-7f3a");
    expect(logLines.join("")).not.toContain(pbx.secret);
  });
});
