import type { Knex } from "knex";

/** People, organizations and deals per company, their numbers, and the call ⇄ contact links. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("crm_organizations", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.string("name", 200).notNullable();
    t.bigInteger("created_at").notNullable();
    t.bigInteger("updated_at").notNullable();
    t.index(["company_id", "name"]);
  });
  await knex.schema.createTable("crm_people", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.integer("organization_id").nullable().references("id").inTable("crm_organizations").onDelete("SET NULL");
    t.string("name", 200).notNullable();
    t.string("email", 254).nullable();
    t.bigInteger("created_at").notNullable();
    t.bigInteger("updated_at").notNullable();
    t.index(["company_id", "name"]);
  });
  // One row per number of a person or an organization; (company_id, number) finds the contact of a call.
  await knex.schema.createTable("crm_phones", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.string("owner_kind", 12).notNullable().checkIn(["person", "organization"]);
    t.integer("owner_id").notNullable();
    t.string("number", 20).notNullable();
    t.string("label", 10).notNullable().checkIn(["work", "mobile", "home", "other"]);
    t.integer("position").notNullable();
    t.index(["company_id", "number"]);
    t.index(["owner_kind", "owner_id"]);
  });
  await knex.schema.createTable("crm_deals", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.integer("person_id").nullable().references("id").inTable("crm_people").onDelete("SET NULL");
    t.integer("organization_id").nullable().references("id").inTable("crm_organizations").onDelete("SET NULL");
    t.string("title", 200).notNullable();
    t.bigInteger("value_micros").notNullable().defaultTo(0);
    t.string("stage", 16).notNullable();
    t.bigInteger("created_at").notNullable();
    t.bigInteger("updated_at").notNullable();
    t.index(["company_id", "updated_at"]);
  });
  // Names are snapshots so every reader of a call row (CDR merge, outcome log, recordings) can send them without a join.
  await knex.schema.alterTable("calls", (t) => {
    t.integer("contact_id").nullable();
    t.string("contact_name", 200).nullable();
    t.integer("deal_id").nullable();
    t.string("deal_title", 200).nullable();
  });
  // The app names the contact/deal right after dialing, possibly before the PBX asked to authorize the call.
  await knex.schema.createTable("crm_call_links", (t) => {
    t.integer("user_id").notNullable().references("id").inTable("users").onDelete("CASCADE");
    t.string("client_call_id", 36).notNullable();
    t.integer("contact_id").nullable();
    t.integer("deal_id").nullable();
    t.bigInteger("created_at").notNullable();
    t.primary(["user_id", "client_call_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("crm_call_links");
  await knex.schema.alterTable("calls", (t) => {
    t.dropColumn("deal_title");
    t.dropColumn("deal_id");
    t.dropColumn("contact_name");
    t.dropColumn("contact_id");
  });
  for (const table of ["crm_deals", "crm_phones", "crm_people", "crm_organizations"]) await knex.schema.dropTable(table);
}
