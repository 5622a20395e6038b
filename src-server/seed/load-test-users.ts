import { randomBytes } from "node:crypto";
import type { Knex } from "knex";
import { hashPassword } from "../auth/password";
import { postEntries } from "../credits/ledger-repo";
import { ensureDefaultTariff } from "../credits/tariff-repo";
import { appendChange } from "../db/changes-repo";
import { createCompany } from "../db/companies-repo";
import { newEndpointId, newSipPassword } from "../db/pbx-endpoints-repo";
import { createUser, findUserByEmail } from "../db/users-repo";
import { updateRecordingSettings } from "../recordings/recording-settings-repo";

/**
 * Users for load benches and fault drills, whose calls sipp places: their endpoints are
 * served with plain RTP (sipp has no WebRTC) and are otherwise a user's, through
 * authorize, recording, rating and charging. Only this module writes `load_test`; the
 * server's entry point does not import it (a test checks), so no route can make one.
 */

export interface LoadTestUser {
  userId: number;
  endpointId: string;
  password: string;
}

export interface LoadTestCompany {
  companyId: number;
  users: LoadTestUser[];
}

const email = (n: number): string => `load-${n}@load.example`;

/** Enough for hours of calls by hundreds of users at the default tariff. */
const creditMicros = 1_000_000_000_000;

/** "Load Test K.K." with `count` callers, each with a load-test endpoint; a second run adds only the missing ones. */
export async function seedLoadTestUsers(db: Knex, count: number, now = Date.now()): Promise<LoadTestCompany> {
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new RangeError(`load-test users: 1-10000, got ${count}`);
  await ensureDefaultTariff(db, now);
  // Nobody signs in as these users: one random password, hashed once.
  const passwordHash = await hashPassword(randomBytes(24).toString("base64url"));
  return db.transaction(async (trx) => {
    const companyId = (await findUserByEmail(trx, email(0)))?.companyId ?? (await createLoadCompany(trx, passwordHash, now));
    const users: LoadTestUser[] = [];
    for (let n = 1; n <= count; n += 1) {
      const user =
        (await findUserByEmail(trx, email(n))) ??
        (await createUser(trx, { companyId, email: email(n), name: `Load ${n}`, role: "regular", locale: null, callerEnabled: true, verifiedNumber: "+12025550100", passwordHash }, now));
      const existing = (await trx("pbx_endpoints").where({ user_id: user.id, load_test: true }).whereNull("revoked_at").first()) as { endpoint_id: string; sip_password: string } | undefined;
      if (existing !== undefined) {
        users.push({ userId: user.id, endpointId: existing.endpoint_id, password: existing.sip_password });
        continue;
      }
      const endpoint = { userId: user.id, endpointId: newEndpointId(user.id), password: newSipPassword() };
      await trx("pbx_endpoints").insert({ company_id: companyId, user_id: user.id, endpoint_id: endpoint.endpointId, sip_password: endpoint.password, created_at: now, revoked_at: null, load_test: true });
      users.push(endpoint);
    }
    return { companyId, users };
  });
}

/** Enterprise plan, every call recorded on the PBX (the bench's "recorded calls"), credit for the whole run. */
async function createLoadCompany(trx: Knex.Transaction, passwordHash: string, now: number): Promise<number> {
  const company = await createCompany(trx, { name: "Load Test K.K.", plan: "enterprise", isTrial: false, country: "US", currency: "USD", timeZone: "UTC" }, now);
  await appendChange(trx, { companyId: company.id, audienceUserId: null, entity: "company", entityId: String(company.id), op: "upsert", data: company, at: now });
  await createUser(trx, { companyId: company.id, email: email(0), name: "Load Admin", role: "admin", locale: null, callerEnabled: true, verifiedNumber: null, passwordHash }, now);
  await updateRecordingSettings(trx, company.id, { enabled: true, enforced: true, consentAnnouncement: false, source: "pbx" });
  await postEntries(trx, company.id, [{ bucket: "purchased", kind: "adjustment", amountMicros: creditMicros, idempotencyKey: "seed:load-credit", noteCode: "demo_credit" }], now);
  return company.id;
}
