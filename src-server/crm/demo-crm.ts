import type { Knex } from "knex";
import type { ContactPhone, DealStage } from "../../src-shared/server-api/crm";
import { toInt } from "../db/row-values";
import { findUserByEmail } from "../db/users-repo";
import { demoCredentials } from "../seed/demo";
import { createDeal } from "./deals-repo";
import { createOrganization } from "./organizations-repo";
import { createPerson } from "./people-repo";

interface DemoPerson {
  name: string;
  email: string | null;
  organization: string | null;
  phones: ContactPhone[];
  deal?: { title: string; valueMicros: number; stage: DealStage };
}

/** +12015550123 is the test far end (sipp in `npm start`, the e2e far end): calls to it land on Jane Cooper. */
const demoOrganizations: readonly { name: string; phones: ContactPhone[] }[] = [
  { name: "Acme Corporation", phones: [{ number: "+12015550100", label: "work" }] },
  { name: "東京トレーディング株式会社", phones: [{ number: "+81355550100", label: "work" }] },
];

const demoPeople: readonly DemoPerson[] = [
  {
    name: "Jane Cooper",
    email: "jane.cooper@acme.example",
    organization: "Acme Corporation",
    phones: [
      { number: "+12015550123", label: "work" },
      { number: "+12015550124", label: "mobile" },
    ],
    deal: { title: "Acme annual licence", valueMicros: 12_000_000_000, stage: "proposal" },
  },
  { name: "Robert Fox", email: "robert.fox@acme.example", organization: "Acme Corporation", phones: [{ number: "+12015550125", label: "work" }] },
  {
    name: "山田 太郎",
    email: "yamada@tokyo-trading.example",
    organization: "東京トレーディング株式会社",
    phones: [
      { number: "+81355550123", label: "work" },
      { number: "+819055550123", label: "mobile" },
    ],
    deal: { title: "東京トレーディング 導入", valueMicros: 4_500_000_000, stage: "qualified" },
  },
  { name: "佐藤 花子", email: null, organization: "東京トレーディング株式会社", phones: [{ number: "+819055550124", label: "mobile" }] },
];

/** A few US and Japanese contacts and deals for a company that has none yet (development data only). */
export async function seedDemoCrm(db: Knex, companyId: number, now: number): Promise<void> {
  const existing = await db("crm_people").where({ company_id: companyId }).first<{ id: number } | undefined>();
  if (existing !== undefined) return;
  await db.transaction(async (trx) => {
    const organizations = new Map<string, number>();
    for (const org of demoOrganizations) organizations.set(org.name, toInt((await createOrganization(trx, companyId, org, now)).id));
    for (const p of demoPeople) {
      const organizationId = p.organization === null ? null : (organizations.get(p.organization) ?? null);
      const person = await createPerson(trx, companyId, { name: p.name, email: p.email, organizationId, phones: p.phones }, now);
      if (p.deal) await createDeal(trx, companyId, { ...p.deal, personId: toInt(person.id), organizationId }, now);
    }
  });
}

/** For the launcher's `--seed-demo` (tests start from the plain demo seed): Demo K.K. gets the contacts. */
export async function seedDemoCompanyCrm(db: Knex, now = Date.now()): Promise<void> {
  const admin = await findUserByEmail(db, demoCredentials.admin.email);
  if (admin !== undefined) await seedDemoCrm(db, admin.companyId, now);
}
