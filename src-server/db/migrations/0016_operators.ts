import type { Knex } from "knex";

/**
 * The operator: the business that runs the server and pays the carrier. Its
 * accounts and sessions live apart from companies' users and sessions, so a
 * company token can never be an operator's and the other way round.
 * Lists are literal, not imported: a migration must not change when the domain code does.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("operators", (t) => {
    t.increments("id");
    // Stored lowercase; no company user may have the same email (checked where either is created).
    t.string("email", 254).notNullable().unique();
    t.string("name", 200).notNullable();
    t.string("password_hash", 255).notNullable();
    t.bigInteger("created_at").notNullable();
  });
  await knex.schema.createTable("operator_sessions", (t) => {
    t.increments("id");
    // sha256 hex of the bearer token; the token itself is never stored.
    t.string("token_hash", 64).notNullable().unique();
    t.integer("operator_id").notNullable().references("id").inTable("operators").onDelete("CASCADE");
    t.bigInteger("created_at").notNullable();
    t.bigInteger("expires_at").notNullable();
    t.index(["operator_id"]);
    t.index(["expires_at"]);
  });
  // What the operator did (the audit trail), read by every server process to learn that a tariff, a block or a balance changed.
  await knex.schema.createTable("operator_actions", (t) => {
    t.increments("id");
    t.string("actor", 254).notNullable();
    t.string("action", 32).notNullable();
    t.integer("company_id").nullable().references("id").inTable("companies").onDelete("SET NULL");
    t.text("details_json").notNullable();
    t.bigInteger("at").notNullable();
  });
  // The operator's blocks and unblocks of number ranges, for the whole service (company_id null) or one company.
  await knex.schema.createTable("destination_rules", (t) => {
    t.increments("id");
    t.string("prefix", 16).notNullable();
    t.integer("company_id").nullable().references("id").inTable("companies").onDelete("CASCADE");
    t.string("action", 8).notNullable().checkIn(["block", "allow"]);
    t.string("note", 200).notNullable().defaultTo("");
    t.string("created_by", 254).notNullable();
    t.bigInteger("created_at").notNullable();
    t.unique(["prefix", "company_id"]);
  });
  // NULLs are distinct in a unique index on both engines: one service-wide rule per prefix needs its own.
  await knex.raw("create unique index destination_rules_service_prefix on destination_rules (prefix) where company_id is null");
  // An invoice purchase over the company's limit, waiting for the operator; approved, it becomes a credit_purchases row.
  await knex.schema.createTable("credit_purchase_requests", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.integer("user_id").nullable();
    t.bigInteger("amount_micros").notNullable();
    t.string("idempotency_key", 64).notNullable();
    t.string("status", 16).notNullable().checkIn(["pending", "approved", "declined"]);
    t.bigInteger("created_at").notNullable();
    t.bigInteger("decided_at").nullable();
    t.string("decided_by", 254).nullable();
    t.string("decision_note", 500).nullable();
    t.integer("purchase_id").nullable().references("id").inTable("credit_purchases").onDelete("SET NULL");
    t.unique(["company_id", "idempotency_key"]);
    t.index(["status", "created_at"]);
  });
  await knex.schema.alterTable("credit_settings", (t) => {
    // Invoiced credit a company may buy per calendar month without the operator's approval; null: the service default.
    t.bigInteger("invoice_limit_micros").nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("credit_settings", (t) => {
    t.dropColumn("invoice_limit_micros");
  });
  for (const table of ["credit_purchase_requests", "destination_rules", "operator_actions", "operator_sessions", "operators"]) {
    await knex.schema.dropTable(table);
  }
}
