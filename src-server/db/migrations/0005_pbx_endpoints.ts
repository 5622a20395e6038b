import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("pbx_endpoints", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.integer("user_id").notNullable().references("id").inTable("users").onDelete("CASCADE");
    // The PJSIP endpoint/auth/aor id and SIP username: u<user id>-<random>, never reused.
    t.string("endpoint_id", 64).notNullable().unique();
    // The PBX needs the plain password to check digests; it never leaves the server but to its own user.
    t.string("sip_password", 128).notNullable();
    t.bigInteger("created_at").notNullable();
    // Kept after revocation so old call records still map to their user.
    t.bigInteger("revoked_at").nullable();
    t.index(["user_id"]);
  });
  await knex.raw("create unique index pbx_endpoints_one_active on pbx_endpoints (user_id) where revoked_at is null");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("pbx_endpoints");
}
