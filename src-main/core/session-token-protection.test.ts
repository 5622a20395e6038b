import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCore } from "./create-core";
import { openStore } from "./store/open-store";
import { saveSession } from "./store/session-repo";
import { migrateTo } from "./store/migrations/migrate-to";
import { openKnex } from "./store/open-knex";
import type { TokenProtector } from "./token-protector";

const user = { id: 7, companyId: 3, email: "aiko@example.com", name: "Aiko", role: "regular" as const, locale: "ja" };
const company = { id: 3, name: "Example KK", plan: "professional" as const, isTrial: false, country: "JP", currency: "JPY", timeZone: "Asia/Tokyo" };

/** A keyring stand-in: reversible, and plainly not the token. */
const sealing: TokenProtector = {
  protect: (plain) => ({ scheme: "safe-storage", value: Buffer.from(`sealed:${plain}`).toString("base64") }),
  reveal: (stored) => {
    if (stored.scheme === "plain") return stored.value;
    const opened = Buffer.from(stored.value, "base64").toString();
    return opened.startsWith("sealed:") ? opened.slice("sealed:".length) : null;
  },
};

let dir: string;
let server: Server;
let serverUrl: string;
const bearers: string[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "caller-token-"));
  bearers.length = 0;
  // The company server's two routes a session needs: sign-in, and /me (the refresh at start).
  server = createServer((request, response) => {
    bearers.push(request.headers.authorization ?? "");
    const body = request.url === "/api/auth/sign-in" ? { user, company, callerEnabled: true, token: "fresh-token" } : { user, company, callerEnabled: true };
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const rawSession = async () => {
  const store = await openStore({ file: join(dir, "caller.sqlite") });
  try {
    return await store.knex("session").first<{ token: string | null; token_scheme: string }>("token", "token_scheme");
  } finally {
    await store.close();
  }
};

describe("the stored session token", () => {
  it("a plain token an older version stored is protected on the next start, and the user stays signed in", async () => {
    // The store as the version before token protection left it.
    const old = await openKnex({ file: join(dir, "caller.sqlite") });
    await migrateTo(old, "0006_sync_edits");
    await old("session").insert({ id: 1, server_url: serverUrl, token: "old-plain-token", user_json: JSON.stringify(user), company_json: JSON.stringify(company), caller_enabled: 1, signed_in_at: 1 });
    await old.destroy();

    const core = await createCore({ dataDir: dir, serverUrl: null, shell: "electron", version: "test", tokenProtector: sealing });
    try {
      expect(await core.handlers.getSession({})).toMatchObject({ signedIn: true, user: { email: "aiko@example.com" } });
      await expect.poll(() => bearers).toContain("Bearer old-plain-token");
    } finally {
      await core.close();
    }
    const stored = await rawSession();
    expect(stored.token_scheme).toBe("safe-storage");
    expect(stored.token).not.toContain("old-plain-token");
    expect(sealing.reveal({ scheme: "safe-storage", value: stored.token! })).toBe("old-plain-token");
  });

  it("a new sign-in is stored protected", async () => {
    const core = await createCore({ dataDir: dir, serverUrl, shell: "electron", version: "test", tokenProtector: sealing });
    try {
      await core.handlers.signIn({ email: "aiko@example.com", password: "pw" });
    } finally {
      await core.close();
    }
    const stored = await rawSession();
    expect(stored.token_scheme).toBe("safe-storage");
    expect(stored.token).not.toContain("fresh-token");
  });

  it("a token this shell cannot read (the keyring changed) reads as signed out; signing in again replaces it", async () => {
    const store = await openStore({ file: join(dir, "caller.sqlite") });
    await saveSession(store.knex, { serverUrl, token: { scheme: "safe-storage", value: "bm90LW91cnM=" }, user, company, callerEnabled: true });
    await store.close();

    const core = await createCore({ dataDir: dir, serverUrl, shell: "node-host", version: "test" });
    try {
      expect(await core.handlers.getSession({})).toEqual({ signedIn: false, operator: null, serverUrl });
      await core.handlers.signIn({ email: "aiko@example.com", password: "pw" });
      expect(await core.handlers.getSession({})).toMatchObject({ signedIn: true });
    } finally {
      await core.close();
    }
    // The Node host's protector: plain text, in the file only the user can read.
    expect(await rawSession()).toEqual({ token: "fresh-token", token_scheme: "plain" });
  });
});
