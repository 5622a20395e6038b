import type { Knex } from "knex";
import { describe, expect, it } from "vitest";
import { storeClients } from "../open-knex";
import { getSession } from "../session-repo";
import { useEmptyStore } from "./empty-store";
import { completedMigrations, migrateTo } from "./migrate-to";
import { migrationNames } from "./migration-source";

const previous = migrationNames[migrationNames.indexOf("0007_token_scheme") - 1]!;
const user = { id: 7, companyId: 3, email: "aiko@example.com", name: "Aiko", role: "regular", locale: "ja" };
const company = { id: 3, name: "Example KK", plan: "professional", isTrial: false, country: "JP", currency: "JPY", timeZone: "Asia/Tokyo" };

describe.each(storeClients)("migration 0007_token_scheme on %s", (client) => {
  let db: Knex;
  useEmptyStore(client, (opened) => {
    db = opened;
  });

  it("marks a token stored before it as plain text, unchanged, so the session still reads", async () => {
    await migrateTo(db, previous);
    await db("session").insert({
      id: 1, server_url: "https://caller.example.com", token: "tok-1", user_json: JSON.stringify(user), company_json: JSON.stringify(company), caller_enabled: 1, signed_in_at: 1_700_000_000_000,
    });
    await migrateTo(db, "0007_token_scheme");
    expect(await db("session").first("token", "token_scheme")).toEqual({ token: "tok-1", token_scheme: "plain" });
    expect((await getSession(db))?.token).toEqual({ scheme: "plain", value: "tok-1" });
  });

  it("migrates back down and up again", async () => {
    await migrateTo(db, "0007_token_scheme");
    await migrateTo(db, previous);
    expect(await db.schema.hasColumn("session", "token_scheme")).toBe(false);
    await migrateTo(db, "0007_token_scheme");
    expect((await completedMigrations(db)).at(-1)).toBe("0007_token_scheme");
  });
});
