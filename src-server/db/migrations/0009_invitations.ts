import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("invitations", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.integer("user_id").notNullable().references("id").inTable("users").onDelete("CASCADE");
    // sha256 of the emailed token: a leaked database cannot accept anyone's invitation.
    t.string("token_hash", 64).notNullable().unique();
    t.integer("invited_by").nullable();
    t.bigInteger("created_at").notNullable();
    t.bigInteger("expires_at").notNullable();
    t.bigInteger("accepted_at").nullable();
    // Cancelled by an admin or replaced by a re-invitation.
    t.bigInteger("revoked_at").nullable();
    t.index(["company_id", "user_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("invitations");
}
