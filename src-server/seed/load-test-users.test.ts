import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SipConfig } from "../../src-shared/server-api/sip";
import type { PbxServerConfig } from "../pbx/pbx-server-config";
import { bearer, demoCredentials, startTestServer, type TestServer } from "../test-support/test-server";
import { seedLoadTestUsers } from "./load-test-users";

// Load-test endpoints (plain RTP, for sipp) exist only when the load-test seed makes
// them: the server serves them as such, and nothing the server runs can make one.

const pbx: PbxServerConfig = { secret: "0123456789abcdef0123456789abcdef", wsUrl: "ws://127.0.0.1:8088/ws", sipDomain: "127.0.0.1", iceServers: [], ami: null, cdrStore: null };
const serverDir = fileURLToPath(new URL("..", import.meta.url));
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ pbx, listen: true });
});

afterAll(async () => {
  await server?.close();
});

const realtime = async (path: string, body: string): Promise<Record<string, string>> => {
  const reply = await fetch(`${server.url}/pbx/realtime/${path}`, { method: "POST", headers: { "x-caller-pbx-secret": pbx.secret, "content-type": "application/x-www-form-urlencoded" }, body });
  expect(reply.status).toBe(200);
  return Object.fromEntries(new URLSearchParams(await reply.text()));
};

describe("load-test users", () => {
  it("are served with plain RTP over UDP and their own password; a user's endpoint made through the API stays WebRTC", async () => {
    const { users } = await seedLoadTestUsers(server.db, 3);
    expect(users).toHaveLength(3);
    const [first] = users;
    if (first === undefined) throw new Error("no load-test user");
    expect(await realtime("ps_endpoints/single", `id=${first.endpointId}`)).toMatchObject({ id: first.endpointId, webrtc: "no", media_encryption: "no", transport: "transport-udp", context: "from-users" });
    expect(await realtime("ps_auths/single", `id=${first.endpointId}`)).toMatchObject({ username: first.endpointId, password: first.password });

    const token = await server.sessionFor(demoCredentials.sales);
    const reply = await server.app.inject({ method: "GET", url: "/api/sip/config", headers: bearer(token) });
    expect(reply.statusCode, reply.body).toBe(200);
    const { username } = reply.json<SipConfig>();
    expect(await realtime("ps_endpoints/single", `id=${username}`)).toMatchObject({ webrtc: "yes" });
    const flags = await server.db("pbx_endpoints").where({ endpoint_id: username }).first<{ load_test: boolean | number }>("load_test");
    expect(Boolean(flags?.load_test)).toBe(false);
  });

  it("a second seed keeps the same endpoints and adds only the missing users", async () => {
    const before = await seedLoadTestUsers(server.db, 3);
    const after = await seedLoadTestUsers(server.db, 5);
    expect(after.companyId).toBe(before.companyId);
    expect(after.users.slice(0, 3)).toEqual(before.users);
    expect(after.users).toHaveLength(5);
    await expect(seedLoadTestUsers(server.db, 0)).rejects.toThrow(RangeError);
  });

  it("cannot be made by the server: its entry point never imports the seed, and only the seed writes the flag", async () => {
    const result = await build({ entryPoints: [join(serverDir, "main.ts")], bundle: true, platform: "node", format: "esm", packages: "external", write: false, metafile: true, logLevel: "error" });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.endsWith("src-server/routes/pbx-routes.ts"))).toBe(true);
    expect(inputs.filter((path) => path.includes("load-test-users"))).toEqual([]);

    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return sources(path);
        return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
      });
    const mentions = sources(serverDir)
      .filter((path) => /\bload_test\b/.test(readFileSync(path, "utf8")))
      .map((path) => relative(serverDir, path))
      .sort();
    // The migration adds it, the repository reads it, the seed writes it: nothing else names it.
    expect(mentions).toEqual(["db/migrations/0026_load_test_endpoints.ts", "db/pbx-endpoints-repo.ts", "seed/load-test-users.ts"]);
    // The repository only reads it: its row type, its column, its field.
    const repoLines = readFileSync(join(serverDir, "db/pbx-endpoints-repo.ts"), "utf8")
      .split("\n")
      .filter((line) => /\bload_test\b/.test(line))
      .map((line) => line.trim());
    expect(repoLines).toEqual(["load_test: boolean | number;", 'load_test: "pbx_endpoints.load_test",', "loadTest: toBool(row.load_test),"]);
  });
});
