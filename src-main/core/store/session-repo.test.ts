import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Company, User } from "../../../src-shared/domain/company";
import { storeClients } from "./open-knex";
import { clearSession, getLastServerUrl, getSession, saveSession } from "./session-repo";
import type { StoredSession } from "./session-repo";
import { openTempStore } from "./temp-store";
import type { TempStore } from "./temp-store";

const user: User = { id: 7, companyId: 3, email: "aiko@example.com", name: "Aiko", role: "regular", locale: "ja" };
const company: Company = {
  id: 3,
  name: "Example KK",
  plan: "professional",
  isTrial: false,
  country: "JP",
  currency: "JPY",
  timeZone: "Asia/Tokyo",
};
const session: StoredSession = {
  serverUrl: "https://caller.example.com",
  token: { scheme: "plain", value: "tok-1" },
  user,
  company,
  callerEnabled: true,
  signedInAt: 1_700_000_000_000,
};

describe.each(storeClients)("session repository on %s", (client) => {
  let store: TempStore;
  beforeEach(async () => {
    store = await openTempStore(client);
  });
  afterEach(() => store.dispose());

  it("has no session on a fresh store", async () => {
    expect(await getSession(store.knex)).toBeNull();
    expect(await getLastServerUrl(store.knex)).toBeNull();
  });

  it("reads back the saved session", async () => {
    await saveSession(store.knex, session);
    expect(await getSession(store.knex)).toEqual(session);
  });

  it("replaces the session on a second save (a refresh)", async () => {
    await saveSession(store.knex, session);
    await saveSession(store.knex, { ...session, callerEnabled: false, user: { ...user, role: "admin" } });
    const saved = await getSession(store.knex);
    expect(saved?.callerEnabled).toBe(false);
    expect(saved?.user.role).toBe("admin");
  });

  it("stamps signedInAt with the current time when none is given", async () => {
    const before = Date.now();
    const { signedInAt: _ignored, ...rest } = session;
    await saveSession(store.knex, rest);
    expect((await getSession(store.knex))?.signedInAt).toBeGreaterThanOrEqual(before);
  });

  it("forgets the token and user on sign-out but remembers the server", async () => {
    await saveSession(store.knex, session);
    await clearSession(store.knex);
    expect(await getSession(store.knex)).toBeNull();
    expect(await getLastServerUrl(store.knex)).toBe(session.serverUrl);
    const raw: unknown = await store.knex("session").first();
    expect(raw).toMatchObject({ token: null, user_json: null, company_json: null });
  });

  it("keeps how the token was protected beside it", async () => {
    await saveSession(store.knex, { ...session, token: { scheme: "safe-storage", value: "c2VhbGVk" } });
    expect((await getSession(store.knex))?.token).toEqual({ scheme: "safe-storage", value: "c2VhbGVk" });
    await store.knex("session").update({ token_scheme: "rot13" });
    expect(await getSession(store.knex)).toBeNull();
  });

  it("reads a corrupt user as signed out rather than crashing", async () => {
    await saveSession(store.knex, session);
    await store.knex("session").update({ user_json: '{"id":"seven"}' });
    expect(await getSession(store.knex)).toBeNull();
  });
});
