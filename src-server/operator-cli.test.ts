import { spawn } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperatorSignInReply, SignInReply } from "../src-shared/server-api/auth";
import { CreditsSummary, Purchase, RateQuote } from "../src-shared/server-api/credits";
import type { BlocksReply, CompaniesReply, PurchaseRequestsReply, SipBan, SipBansReply, TariffPreviewReply, TariffVersionsReply } from "../src-shared/server-api/operator";
import type { SipConfig } from "../src-shared/server-api/sip";
import { addCredit, testPbx } from "./credits/testing/credit-rig";
import { findUserByEmail } from "./db/users-repo";
import { activeSipBans, banSipAddress } from "./pbx/sip-bans";
import { openMigrated, type TestDb } from "./test-support/test-db";
import { demoCredentials, startTestServer, type TestServer } from "./test-support/test-server";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The operator CLI as it ships (bundled by esbuild, run by plain node) against
 * the database of a server listening in this process: the server sees the
 * CLI's changes through the operator's log, as any other server would.
 */
describe("the operator CLI process", () => {
  let dir: string;
  let bundle: string;
  let dbFile: string;
  let handle: TestDb;
  let server: TestServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "caller-operator-cli-"));
    await symlink(fileURLToPath(new URL("../node_modules", import.meta.url)), join(dir, "node_modules"), "dir");
    bundle = join(dir, "operator.mjs");
    await build({ entryPoints: [fileURLToPath(new URL("./operator-cli.ts", import.meta.url))], bundle: true, platform: "node", format: "esm", packages: "external", outfile: bundle, logLevel: "error" });
    // Beside operator.mjs, as scripts/build.mjs lays out dist/server: tariff files are parsed on it.
    await build({ entryPoints: [fileURLToPath(new URL("./imports/import-worker.ts", import.meta.url))], bundle: true, platform: "node", format: "esm", packages: "external", outfile: join(dir, "import-worker.mjs"), logLevel: "error" });
    dbFile = join(dir, "server.sqlite");
    handle = await openMigrated({ kind: "sqlite", file: dbFile });
    // The real clock: the CLI stamps its changes with it.
    server = await startTestServer({ db: handle.db, pbx: testPbx, listen: true, realClock: true });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await handle?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function cli(args: string[], stdin = ""): Promise<Run> {
    const child = spawn(process.execPath, [bundle, "--db", dbFile, ...args], { cwd: dir, env: { ...process.env, DATABASE_URL: "" }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(stdin);
    return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
  }
  const json = async <T>(args: string[]): Promise<T> => {
    const run = await cli(["--json", ...args]);
    expect(run, args.join(" ")).toMatchObject({ code: 0 });
    return JSON.parse(run.stdout) as T;
  };
  const http = (path: string, token: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${server.url}${path}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const signIn = async (credentials: { email: string; password: string }) =>
    fetch(`${server.url}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(credentials) });
  const tokenOf = async (credentials: { email: string; password: string }) => ((await (await signIn(credentials)).json()) as SignInReply).token;
  const quote = async (token: string, number: string) => RateQuote.parse(await (await http(`/api/credits/quote?number=${encodeURIComponent(number)}`, token)).json());

  it("creates an operator account with the password from stdin, never from argv", async () => {
    const refused = await cli(["create-operator", "--email", "ops@cli.example", "--name", "Ops", "--password", "a-long-password-1"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^The password is never taken from the command line/);
    expect(await server.db("operators").where({ email: "ops@cli.example" })).toEqual([]);

    const created = await cli(["create-operator", "--email", "Ops@CLI.example", "--name", "Ops"], "a-long-password-1\n");
    expect(created).toMatchObject({ code: 0, stdout: "Operator ops@cli.example created: sign in to the app with this email.\n" });
    const reply = await signIn({ email: "ops@cli.example", password: "a-long-password-1" });
    expect(((await reply.json()) as OperatorSignInReply)).toMatchObject({ account: "operator", operator: { email: "ops@cli.example", name: "Ops" } });
    expect(JSON.parse((await server.db("operator_actions").where({ action: "operator_created" }).orderBy("id", "desc").first<{ details_json: string }>()).details_json)).toEqual({ email: "ops@cli.example" });

    expect(await cli(["create-operator", "--email", "ops@cli.example", "--name", "Again"], "another-long-password\n")).toMatchObject({ code: 1, stderr: "An operator with this email already exists\n" });
    expect(await cli(["create-operator", "--email", demoCredentials.sales.email, "--name", "Taken"], "another-long-password\n")).toMatchObject({ code: 1 });
    expect(await cli(["create-operator", "--email", "short@cli.example", "--name", "Short"], "short\n")).toMatchObject({ code: 1, stderr: "The password must be at least 12 characters\n" });
  }, 60_000);

  it("previews and imports a tariff file, lists versions and restores one; the running server rates with each", async () => {
    const sales = await tokenOf(demoCredentials.sales);
    const file = join(dir, "rates.csv");
    const exported = await cli(["tariff", "export"]);
    await writeFile(file, exported.stdout.replace(/^1,United States and Canada,other,0\.013,/m, "1,United States and Canada,other,0.02,"));
    const preview = await json<TariffPreviewReply>(["tariff", "preview", file]);
    expect(preview.counts).toMatchObject({ added: 0, changed: 1, removed: 0 });
    const text = await cli(["tariff", "preview", file]);
    expect(text.stdout).toContain("~ 1 United States and Canada $0.013/min → $0.02/min");
    expect((await quote(sales, "+12015550123")).ratePerMinuteMicros).toBe(13_000);

    const imported = await cli(["tariff", "import", file]);
    expect(imported.stdout).toMatch(/^Imported \d+ rows as version 2;/);
    await expect.poll(async () => (await quote(sales, "+12015550123")).ratePerMinuteMicros, { timeout: 10_000 }).toBe(20_000);
    const versions = await json<TariffVersionsReply>(["tariff", "versions"]);
    expect(versions).toMatchObject({ current: 2, versions: [{ version: 1, source: "default" }, { version: 2, source: "rates.csv", importedBy: expect.stringMatching(/^cli:/) as string }] });

    expect(await cli(["tariff", "restore", "1"])).toMatchObject({ code: 0, stdout: "Version 1's rates are current again, as version 3.\n" });
    await expect.poll(async () => (await quote(sales, "+12015550123")).ratePerMinuteMicros, { timeout: 10_000 }).toBe(13_000);

    // A bad file imports nothing and says why.
    await writeFile(file, "prefix,destination\n1,US\n");
    const bad = await cli(["tariff", "import", file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/header must name the columns/);
    expect((await json<TariffVersionsReply>(["tariff", "versions"])).versions).toHaveLength(3);
  }, 90_000);

  it("blocks and unblocks a range; the running server refuses and then allows calls to it", async () => {
    const sales = await tokenOf(demoCredentials.sales);
    const { username } = (await (await http("/api/sip/config", sales)).json()) as SipConfig;
    const authorize = async (to: string, n: number) => {
      const query = new URLSearchParams({ endpoint: username, to, uniqueid: `cli-${n}-${Date.now()}` });
      return (await fetch(`${server.url}/pbx/authorize?${query.toString()}`, { headers: { "x-caller-pbx-secret": testPbx.secret } })).text();
    };
    // Each allowed authorize holds credit for its longest call, and the polls below may be
    // allowed many times before the server applies the block: credit is not what this tests.
    const { companyId } = (await findUserByEmail(server.db, demoCredentials.sales.email))!;
    await addCredit(server, companyId, 1_000_000_000, "cli-blocks:credit");
    expect(await authorize("+12015550123", 1)).toMatch(/^result=allow/);
    expect(await cli(["blocks", "add", "+1201555", "--note", "test range"])).toMatchObject({ code: 0, stdout: "Blocked +1201555 for every company; servers apply it within seconds.\n" });
    await expect.poll(() => authorize("+12015550123", 2), { timeout: 10_000 }).toBe("result=deny&reason=destination_blocked");
    const listed = await json<BlocksReply>(["blocks", "list"]);
    expect(listed.rules).toEqual([expect.objectContaining({ prefix: "+1201555", action: "block", companyId: null, note: "test range", createdBy: expect.stringMatching(/^cli:/) as string })]);
    expect(listed.defaults.map((d) => d.prefix)).toContain("+4470");
    expect(await cli(["blocks", "remove", "+1201555"])).toMatchObject({ code: 0 });
    await expect.poll(() => authorize("+12015550123", 3), { timeout: 10_000 }).toMatch(/^result=allow/);

    expect(await cli(["blocks", "remove", "+1201555"])).toMatchObject({ code: 1, stderr: "No rule for +1201555 for the whole service\n" });
    const malformed = await cli(["blocks", "add", "4470"]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/^prefix "4470": a \+ and 1–15 digits/);
  }, 60_000);

  it("shows companies, sets an invoice limit, and approves a waiting purchase: the running server's balance follows", async () => {
    const { companies } = await json<CompaniesReply>(["companies"]);
    const other = companies.find((c) => c.name === "Other Co.")!;
    expect(other).toMatchObject({ plan: "enterprise", purchasedMicros: 5_000_000, invoiceLimitIsDefault: true });
    expect((await cli(["companies"])).stdout).toMatch(/Other Co\.\s+enterprise/);

    expect(await cli(["invoice-limit", "set", String(other.id), "0"])).toMatchObject({ code: 0, stdout: `Company ${other.id}: invoice limit $0.00 a month.\n` });
    const admin = await tokenOf(demoCredentials.otherAdmin);
    // An expensive destination, so the credit is what limits a call's length.
    const pacific = "+6857212345";
    const before = await quote(admin, pacific);
    expect(before.limitedBy).toBe("balance");
    const waiting = Purchase.parse(await (await http("/api/credits/purchases", admin, { method: "POST", body: { amountMicros: 10_000_000, idempotencyKey: "cli-click-0001" } })).json());
    expect(waiting.status).toBe("awaiting_approval");

    const { requests } = await json<PurchaseRequestsReply>(["approvals", "list"]);
    const request = requests.find((r) => r.companyId === other.id)!;
    expect(request).toMatchObject({ amountMicros: 10_000_000, status: "pending" });
    const approved = await cli(["approvals", "approve", String(request.id), "--note", "checked"]);
    expect(approved.stdout).toMatch(new RegExp(`^Purchase request ${request.id} approved: \\$10\\.00 added, invoice INV-\\d{4}-\\d{6}\\.\\n$`));
    expect(CreditsSummary.parse(await (await http("/api/credits", admin)).json())).toMatchObject({ purchasedMicros: 15_000_000, awaitingApproval: [] });
    // The server's own in-memory balance, which authorize reads, follows within its poll.
    await expect.poll(async () => (await quote(admin, pacific)).maxSeconds, { timeout: 10_000 }).toBeGreaterThan(before.maxSeconds * 2);

    expect(await cli(["approvals", "approve", String(request.id)])).toMatchObject({ code: 1, stderr: `Purchase request ${request.id} was already approved\n` });
    expect((await json<PurchaseRequestsReply>(["approvals", "list", "--all"])).requests.find((r) => r.id === request.id)).toMatchObject({ status: "approved", note: "checked" });
    expect(await cli(["invoice-limit", "set", "99999", "10"])).toMatchObject({ code: 1, stderr: "No company 99999\n" });
  }, 60_000);

  it("lists SIP bans and lifts one by id; the ban is no longer in force and the lift is logged", async () => {
    const ban = (await banSipAddress(server.db, { address: "198.51.100.23", failures: 12, firstFailureAt: Date.now() - 60_000, now: Date.now(), durationMs: 3_600_000 }))!;
    const listed = await json<SipBansReply>(["sip-bans", "list"]);
    expect(listed.bans).toEqual([expect.objectContaining({ id: ban.id, address: "198.51.100.23", failures: 12, liftedAt: null })]);
    expect((await cli(["sip-bans", "list"])).stdout).toMatch(new RegExp(`^${ban.id}\\s+198\\.51\\.100\\.23\\s+12\\s.*in force$`, "m"));

    const lifted = await json<SipBan>(["sip-bans", "lift", String(ban.id)]);
    expect(lifted).toMatchObject({ id: ban.id, liftedBy: expect.stringMatching(/^cli:/) as string });
    expect(await activeSipBans(server.db, Date.now())).toEqual([]);
    expect((await json<SipBansReply>(["sip-bans", "list"])).bans).toEqual([]);
    expect((await json<SipBansReply>(["sip-bans", "list", "--all"])).bans.map((b) => b.id)).toContain(ban.id);
    expect(await server.db("operator_actions").where({ action: "sip_ban_lifted" }).pluck("details_json")).toEqual([JSON.stringify({ ban: ban.id, address: "198.51.100.23" })]);

    expect(await cli(["sip-bans", "lift", String(ban.id)])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^SIP ban \d+ \(198\.51\.100\.23\) was already lifted by cli:/) as string });
    expect(await cli(["sip-bans", "lift", "99999"])).toMatchObject({ code: 1, stderr: "No SIP ban 99999\n" });
    expect(await cli(["sip-bans", "lift", "x"])).toMatchObject({ code: 2 });
  }, 60_000);

  it("exits 2 with the usage for an unknown command", async () => {
    const run = await cli(["tariff", "delete", "1"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Unknown command: tariff delete\n\nUsage: npm run operator -- /);
  }, 30_000);
});
