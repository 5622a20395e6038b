import type { Knex } from "knex";
import type { Role } from "../../src-shared/domain/company";
import { hashPassword } from "../auth/password";
import { postEntries } from "../credits/ledger-repo";
import { ensureDefaultTariff } from "../credits/tariff-repo";
import { appendChange } from "../db/changes-repo";
import { createCompany, type NewCompany } from "../db/companies-repo";
import { createUser, findUserByEmail } from "../db/users-repo";
import { createOperatorAccount } from "../operator/operator-accounts";
import { findOperatorByEmail } from "../operator/operators-repo";

/** Shared by tests and the launcher; development data only. */
export const demoCredentials = {
  admin: { email: "admin@demo.example", password: "demo-admin" },
  sales: { email: "sales@demo.example", password: "demo-sales" },
  otherAdmin: { email: "admin@other.example", password: "other-admin" },
  /** The service operator (in the product, the business that runs the server; no company's member). */
  operator: { email: "operator@demo.example", password: "demo-operator" },
} as const;

interface SeedUser {
  email: string;
  password: string;
  name: string;
  role: Role;
  locale: string | null;
  /** The caller ID their calls present; Other Co.'s admin has none, so their calls are refused. */
  verifiedNumber: string | null;
}

interface SeedCompany {
  company: NewCompany;
  users: readonly SeedUser[];
  /** Purchased credit the demo starts with, so `npm start` can call at once. */
  creditMicros: number;
}

const seedCompanies: readonly SeedCompany[] = [
  {
    company: { name: "Demo K.K.", plan: "professional", isTrial: false, country: "JP", currency: "USD", timeZone: "Asia/Tokyo" },
    users: [
      { ...demoCredentials.admin, name: "Aiko Admin", role: "admin", locale: "ja", verifiedNumber: "+81312345678" },
      { ...demoCredentials.sales, name: "Sora Sales", role: "regular", locale: null, verifiedNumber: "+819012345678" },
    ],
    creditMicros: 15_000_000,
  },
  {
    company: { name: "Other Co.", plan: "enterprise", isTrial: false, country: "US", currency: "USD", timeZone: "America/New_York" },
    users: [{ ...demoCredentials.otherAdmin, name: "Oliver Other", role: "admin", locale: "en", verifiedNumber: null }],
    creditMicros: 5_000_000,
  },
];

/** A company is identified by its first user (its admin): present means already seeded. */
async function seedCompany(db: Knex, seed: SeedCompany, now: number): Promise<boolean> {
  const [first] = seed.users;
  if (first === undefined || (await findUserByEmail(db, first.email)) !== undefined) return false;
  const users = await Promise.all(seed.users.map(async (u) => ({ ...u, passwordHash: await hashPassword(u.password) })));
  await db.transaction(async (trx) => {
    const company = await createCompany(trx, seed.company, now);
    await appendChange(trx, { companyId: company.id, audienceUserId: null, entity: "company", entityId: String(company.id), op: "upsert", data: company, at: now });
    for (const { email, name, role, locale, verifiedNumber, passwordHash } of users) {
      await createUser(trx, { companyId: company.id, email, name, role, locale, callerEnabled: true, verifiedNumber, passwordHash }, now);
    }
    const credit = { bucket: "purchased", kind: "adjustment", amountMicros: seed.creditMicros, idempotencyKey: "seed:demo-credit", noteCode: "demo_credit" } as const;
    await postEntries(trx, company.id, [credit], now);
  });
  return true;
}

/** Seeds "Demo K.K.", "Other Co." and the demo operator; running it again changes nothing. Returns how many companies it created. */
export async function seedDemo(db: Knex, now = Date.now()): Promise<number> {
  await ensureDefaultTariff(db, now);
  let created = 0;
  for (const seed of seedCompanies) {
    if (await seedCompany(db, seed, now)) created += 1;
  }
  if ((await findOperatorByEmail(db, demoCredentials.operator.email)) === undefined) {
    await createOperatorAccount(db, { ...demoCredentials.operator, name: "Demo Operator" }, now);
  }
  return created;
}
