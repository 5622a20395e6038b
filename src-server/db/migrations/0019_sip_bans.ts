import type { Knex } from "knex";

/**
 * Sources the PBX refuses after repeated SIP authentication failures (served to
 * Asterisk as pjsip ACL objects). One row per ban, kept after it ends: when it
 * expired or who lifted it stays readable.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("sip_bans", (t) => {
    t.increments("id");
    // An IPv4 or IPv6 address as Asterisk reported it (no port).
    t.string("address", 64).notNullable();
    t.integer("failures").notNullable();
    t.bigInteger("first_failure_at").notNullable();
    t.bigInteger("banned_at").notNullable();
    t.bigInteger("banned_until").notNullable();
    t.string("lifted_by", 128).nullable();
    t.bigInteger("lifted_at").nullable();
    t.index(["address"]);
    t.index(["banned_until"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("sip_bans");
}
