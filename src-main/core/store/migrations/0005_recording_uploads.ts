import type { Knex } from "knex";

/**
 * Desktop recordings, from the first chunk written to the server's confirmation:
 * `<dataDir>/recordings-out/<client_call_id>.wav`, whose it is (server and user:
 * only that user's session uploads it), its sha256 and size once closed, and
 * the server's upload id and offset as last heard.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("recording_uploads", (t) => {
    t.text("client_call_id").notNullable().primary();
    t.text("server_url").notNullable();
    t.integer("user_id").notNullable();
    t.text("path").notNullable();
    t.integer("sample_rate").notNullable();
    t.text("sha256");
    t.integer("size_bytes");
    t.text("upload_id");
    t.integer("sent_bytes").notNullable().defaultTo(0);
    t.text("state").notNullable().checkIn(["recording", "waiting", "uploading", "done", "failed"], "recording_uploads_state");
    t.text("error");
    t.integer("attempts").notNullable().defaultTo(0);
    t.integer("started_at").notNullable();
    t.index(["state"], "recording_uploads_state_index");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("recording_uploads");
}
