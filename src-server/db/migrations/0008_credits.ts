import type { Knex } from "knex";

// Lists are literal, not imported: a migration must not change when the domain code does.
export async function up(knex: Knex): Promise<void> {
  // A version is one imported file (or the shipped default, company_id null, shared by every company).
  await knex.schema.createTable("tariff_versions", (t) => {
    t.increments("id");
    t.integer("company_id").nullable().references("id").inTable("companies").onDelete("CASCADE");
    t.string("source", 200).notNullable();
    t.integer("row_count").notNullable();
    t.string("imported_by", 200).nullable();
    t.bigInteger("imported_at").notNullable();
    t.index(["company_id", "imported_at"]);
  });
  await knex.schema.createTable("tariff_rows", (t) => {
    t.increments("id");
    t.integer("version_id").notNullable().references("id").inTable("tariff_versions").onDelete("CASCADE");
    t.string("prefix", 15).notNullable();
    t.string("destination", 100).notNullable();
    t.string("kind", 8).notNullable().checkIn(["fixed", "mobile", "other"]);
    t.bigInteger("rate_per_minute_micros").notNullable();
    t.bigInteger("connection_fee_micros").notNullable();
    t.integer("increment_first").notNullable();
    t.integer("increment_next").notNullable();
    t.bigInteger("effective_from").notNullable();
    t.bigInteger("effective_to").nullable();
    t.index(["version_id"]);
  });
  // Append-only: a mistake is corrected by a new entry (refund, adjustment), never by an update.
  await knex.schema.createTable("ledger_entries", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.string("bucket", 10).notNullable().checkIn(["bonus", "purchased"]);
    t.string("kind", 12).notNullable().checkIn(["grant", "expiry", "purchase", "call_charge", "refund", "adjustment"]);
    t.bigInteger("amount_micros").notNullable();
    t.bigInteger("balance_after_micros").notNullable();
    t.string("idempotency_key", 200).notNullable();
    t.integer("call_id").nullable();
    t.string("pbx_uniqueid", 150).nullable();
    t.integer("user_id").nullable();
    t.string("number", 64).nullable();
    t.string("destination", 100).nullable();
    t.integer("billed_seconds").nullable();
    t.integer("tariff_version").nullable();
    t.string("period", 7).nullable();
    t.string("note", 500).nullable();
    t.bigInteger("created_at").notNullable();
    t.unique(["company_id", "idempotency_key"]);
    t.index(["company_id", "created_at"]);
    // What a call was charged so far: every CDR retry reads it.
    t.index(["company_id", "pbx_uniqueid"]);
  });
  // The sum of the ledger per bucket, kept in the transaction that appends; `version` orders the in-memory copies.
  await knex.schema.createTable("credit_balances", (t) => {
    t.integer("company_id").primary().references("id").inTable("companies").onDelete("CASCADE");
    t.bigInteger("bonus_micros").notNullable();
    t.bigInteger("purchased_micros").notNullable();
    t.bigInteger("version").notNullable();
  });
  await knex.schema.createTable("credit_purchases", (t) => {
    t.increments("id");
    t.integer("company_id").notNullable().references("id").inTable("companies").onDelete("CASCADE");
    t.integer("user_id").nullable();
    t.bigInteger("amount_micros").notNullable();
    t.string("idempotency_key", 64).notNullable();
    t.string("provider", 32).notNullable();
    t.string("reference", 64).notNullable();
    t.string("status", 16).notNullable().checkIn(["invoiced", "paid"]);
    t.text("billing_json").notNullable();
    t.bigInteger("created_at").notNullable();
    t.unique(["company_id", "idempotency_key"]);
  });
  await knex.schema.createTable("billing_details", (t) => {
    t.integer("company_id").primary().references("id").inTable("companies").onDelete("CASCADE");
    t.text("details_json").notNullable();
    t.bigInteger("updated_at").notNullable();
  });
  await knex.schema.createTable("credit_settings", (t) => {
    t.integer("company_id").primary().references("id").inTable("companies").onDelete("CASCADE");
    t.bigInteger("low_balance_threshold_micros").nullable();
    // Set when admins were warned of the current crossing; cleared when the balance is back at or above the threshold.
    t.bigInteger("low_balance_warned_at").nullable();
  });
  await knex.schema.createTable("credit_schedule", (t) => {
    t.integer("company_id").primary().references("id").inTable("companies").onDelete("CASCADE");
    // The scheduler's progress; the ledger's idempotency keys are what make a period happen once.
    t.string("last_granted_period", 7).nullable();
    t.string("last_expired_period", 7).nullable();
    t.bigInteger("updated_at").notNullable();
  });
  await knex.schema.alterTable("calls", (t) => {
    t.bigInteger("cost_micros").nullable();
    t.integer("tariff_version").nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("calls", (t) => {
    t.dropColumn("tariff_version");
    t.dropColumn("cost_micros");
  });
  for (const table of ["credit_schedule", "credit_settings", "billing_details", "credit_purchases", "credit_balances", "ledger_entries", "tariff_rows", "tariff_versions"]) {
    await knex.schema.dropTable(table);
  }
}
