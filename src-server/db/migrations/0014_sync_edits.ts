import type { Knex } from "knex";

/**
 * Offline edits replayed from desktops (src-server/crm/field-edits.ts): the
 * keys already applied, each field's winning edit time, and every version an
 * edit replaced or lost to (never silently dropped). Calls' changes also reach
 * the company's admins (their desktops filter history by user).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("changes", (t) => {
    t.boolean("audience_admins").notNullable().defaultTo(false);
  });
  await knex("changes").where({ entity: "call" }).whereNotNull("audience_user_id").update({ audience_admins: true });
  await knex.schema.createTable("sync_edit_requests", (t) => {
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.string("idempotency_key", 64).notNullable();
    t.integer("user_id").notNullable();
    t.string("entity", 16).notNullable();
    t.string("entity_id", 40).notNullable();
    t.bigInteger("received_at").notNullable();
    t.primary(["company_id", "idempotency_key"]);
  });
  await knex.schema.createTable("sync_field_versions", (t) => {
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.string("entity", 16).notNullable();
    t.string("entity_id", 40).notNullable();
    t.string("field", 32).notNullable();
    t.bigInteger("edited_at").notNullable();
    t.integer("edited_by").nullable();
    t.primary(["company_id", "entity", "entity_id", "field"]);
  });
  await knex.schema.createTable("sync_edit_history", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.string("entity", 16).notNullable();
    t.string("entity_id", 40).notNullable();
    t.string("field", 32).notNullable();
    t.text("value").notNullable();
    t.string("kind", 10).notNullable().checkIn(["replaced", "lost", "refused"]);
    t.bigInteger("edited_at").notNullable();
    t.integer("edited_by").nullable();
    t.bigInteger("recorded_at").notNullable();
    t.index(["company_id", "entity", "entity_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ["sync_edit_history", "sync_field_versions", "sync_edit_requests"]) await knex.schema.dropTable(table);
  await knex.schema.alterTable("changes", (t) => void t.dropColumn("audience_admins"));
}
