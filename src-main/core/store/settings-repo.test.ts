import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { CallerError } from "../../../src-shared/errors";
import { storeClients } from "./open-knex";
import { getSetting, setSetting } from "./settings-repo";
import { openTempStore } from "./temp-store";
import type { TempStore } from "./temp-store";

const Language = z.enum(["ja", "en"]).nullable();

describe.each(storeClients)("settings repository on %s", (client) => {
  let store: TempStore;
  beforeEach(async () => {
    store = await openTempStore(client);
  });
  afterEach(() => store.dispose());

  it("reads back what was set, and the last write wins", async () => {
    await setSetting(store.knex, "language", "ja");
    await setSetting(store.knex, "language", "en");
    expect(await getSetting(store.knex, "language", Language, null)).toBe("en");
  });

  it("gives the fallback for a key never set", async () => {
    expect(await getSetting(store.knex, "language", Language, "ja")).toBe("ja");
  });

  it("gives the fallback, not a crash, for a value that is not JSON", async () => {
    await store.knex("settings").insert({ key: "language", value: "{not json" });
    expect(await getSetting(store.knex, "language", Language, "ja")).toBe("ja");
  });

  it("gives the fallback for JSON that does not fit the schema", async () => {
    await setSetting(store.knex, "language", "klingon");
    expect(await getSetting(store.knex, "language", Language, "ja")).toBe("ja");
  });

  it("returns a stored null as null when the schema allows it, not the fallback", async () => {
    await setSetting(store.knex, "language", null);
    expect(await getSetting(store.knex, "language", Language, "ja")).toBeNull();
  });

  it("keeps numeric-looking strings as strings", async () => {
    await setSetting(store.knex, "pin", "0123");
    expect(await getSetting(store.knex, "pin", z.string(), "")).toBe("0123");
  });

  it("refuses a value JSON cannot carry", async () => {
    await expect(setSetting(store.knex, "x", undefined)).rejects.toSatisfy(
      (e) => e instanceof CallerError && e.code === "bad_request",
    );
  });
});
