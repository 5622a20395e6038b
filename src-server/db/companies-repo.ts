import type { Knex } from "knex";
import type { Company, Plan } from "../../src-shared/domain/company";
import { toBool, toInt } from "./row-values";

interface CompanyRow {
  id: number;
  name: string;
  plan: Plan;
  is_trial: boolean | number;
  country: string;
  currency: string;
  time_zone: string;
  created_at: number | string;
}

export type NewCompany = Omit<Company, "id">;
export type CompanyPatch = Partial<Pick<Company, "name" | "country" | "timeZone">>;

function toCompany(row: CompanyRow): Company {
  return {
    id: toInt(row.id),
    name: row.name,
    plan: row.plan,
    isTrial: toBool(row.is_trial),
    country: row.country,
    currency: row.currency,
    timeZone: row.time_zone,
  };
}

export async function createCompany(db: Knex, company: NewCompany, now: number): Promise<Company> {
  const rows = await db<CompanyRow>("companies")
    .insert({
      name: company.name,
      plan: company.plan,
      is_trial: company.isTrial,
      country: company.country,
      currency: company.currency,
      time_zone: company.timeZone,
      created_at: now,
    })
    .returning("*");
  const row = rows[0];
  if (row === undefined) throw new Error("insert into companies returned no row");
  return toCompany(row);
}

export async function getCompany(db: Knex, companyId: number): Promise<Company | undefined> {
  const row = await db<CompanyRow>("companies").where({ id: companyId }).first();
  return row === undefined ? undefined : toCompany(row);
}

export async function updateCompany(db: Knex, companyId: number, patch: CompanyPatch): Promise<Company | undefined> {
  const rows = await db<CompanyRow>("companies")
    .where({ id: companyId })
    .update({
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.country === undefined ? {} : { country: patch.country }),
      ...(patch.timeZone === undefined ? {} : { time_zone: patch.timeZone }),
    })
    .returning("*");
  return rows[0] === undefined ? undefined : toCompany(rows[0]);
}

export async function countCompanies(db: Knex): Promise<number> {
  const [row] = await db("companies").count<{ n: number | string }[]>({ n: "*" });
  return row === undefined ? 0 : toInt(row.n);
}
