import type { Knex } from "knex";
import { describe, expect, it } from "vitest";
import { storeClients } from "../open-knex";
import { useEmptyStore } from "./empty-store";
import { migrateTo } from "./migrate-to";

const upload = { client_call_id: "00000000-0000-4000-8000-000000000001", server_url: "http://127.0.0.1:1", user_id: 2, path: "/tmp/x.wav", sample_rate: 48_000, state: "recording", started_at: 1 };

describe.each(storeClients)("migration 0005_recording_uploads on %s", (client) => {
  let db: Knex;
  useEmptyStore(client, (opened) => {
    db = opened;
  });

  it("adds the uploads table beside what 0004 held, with its defaults and states, and goes back down", async () => {
    await migrateTo(db, "0004_recording_cache");
    await db("settings").insert({ key: "settings", value: "{}" });
    await migrateTo(db, "0005_recording_uploads");
    expect(await db("settings").select()).toEqual([{ key: "settings", value: "{}" }]);
    await db("recording_uploads").insert(upload);
    expect(await db("recording_uploads").select("sent_bytes", "attempts", "sha256", "upload_id")).toEqual([{ sent_bytes: 0, attempts: 0, sha256: null, upload_id: null }]);
    await expect(db("recording_uploads").insert({ ...upload, client_call_id: "other", state: "lost" })).rejects.toThrow(/CHECK constraint/);
    await migrateTo(db, "0004_recording_cache");
    expect(await db.schema.hasTable("recording_uploads")).toBe(false);
    expect(await db("settings").select()).toEqual([{ key: "settings", value: "{}" }]);
  });
});
