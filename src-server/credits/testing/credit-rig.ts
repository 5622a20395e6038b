import type { CreditBucket } from "../../../src-shared/server-api/credits";
import type { CdrRecord } from "../../calls/cdr-record";
import { listUserCalls, type CallRecord } from "../../db/calls-repo";
import { createCompany, type NewCompany } from "../../db/companies-repo";
import { ensureEndpoint } from "../../db/pbx-endpoints-repo";
import { createUser, type UserRecord } from "../../db/users-repo";
import type { PbxServerConfig } from "../../pbx/pbx-server-config";
import type { TestServer } from "../../test-support/test-server";
import { waitFor } from "../../test-support/wait-for";
import { noEffects } from "../credit-effects";
import { writeCredit } from "../ledger-write";

export const testPbx: PbxServerConfig = { secret: "c".repeat(32), wsUrl: "ws://127.0.0.1:8088/ws", sipDomain: "127.0.0.1", iceServers: [], ami: null, cdrStore: null };

export interface Caller {
  user: UserRecord;
  companyId: number;
  endpointId: string;
}

let made = 0;

/** A company with one admin who may call, and `purchasedMicros` of credit on its ledger. */
export async function companyWithCredit(server: TestServer, purchasedMicros: number, company: Partial<NewCompany> = {}): Promise<Caller> {
  made += 1;
  const now = server.clock.now;
  const created = await createCompany(server.db, { name: `Co ${made}`, plan: "professional", isTrial: false, country: "JP", currency: "USD", timeZone: "UTC", ...company }, now);
  const user = await createUser(
    server.db,
    { companyId: created.id, email: `admin${made}-${now}@co.example`, name: `Admin ${made}`, role: "admin", locale: null, callerEnabled: true, passwordHash: "x", verifiedNumber: "+81312340000" },
    now,
  );
  if (purchasedMicros !== 0) await addCredit(server, created.id, purchasedMicros, `seed:${made}`);
  return { user, companyId: created.id, endpointId: (await ensureEndpoint(server.db, user, now)).endpointId };
}

/** Credit added the way every ledger write is: the in-memory balance follows the commit. */
export async function addCredit(server: TestServer, companyId: number, amountMicros: number, key: string, bucket: CreditBucket = "purchased"): Promise<void> {
  const effects = noEffects();
  const kind = bucket === "bonus" ? "grant" : "adjustment";
  await server.db.transaction((trx) => writeCredit(trx, companyId, [{ bucket, kind, amountMicros, idempotencyKey: key }], server.clock.now, effects));
  server.credits.apply(effects);
}

export async function authorize(server: TestServer, endpointId: string, to: string, uniqueid: string): Promise<string> {
  const query = new URLSearchParams({ endpoint: endpointId, to, uniqueid });
  const reply = await server.app.inject({ method: "GET", url: `/pbx/authorize?${query.toString()}`, headers: { "x-caller-pbx-secret": testPbx.secret } });
  return reply.body;
}

export async function recordedCall(server: TestServer, userId: number, uniqueid: string): Promise<CallRecord> {
  return waitFor(async () => (await listUserCalls(server.db, userId)).find((c) => c.pbxUniqueid === uniqueid), `call ${uniqueid}`);
}

/** The Dial leg's CDR of an answered call (or unanswered with billsec 0). */
export function cdrOf(uniqueid: string, endpointId: string, to: string, billsec: number, startMs: number): CdrRecord {
  return {
    uniqueid,
    accountcode: endpointId,
    destination: to,
    destinationContext: "from-users",
    destinationChannel: "PJSIP/trunk-00000001",
    disposition: billsec > 0 ? "ANSWERED" : "NO ANSWER",
    billsec,
    userfield: billsec > 0 ? "authorized&dial=ANSWER&cause=16" : "authorized&dial=NOANSWER&cause=19",
    startMs,
    answerMs: billsec > 0 ? startMs + 2_000 : null,
    endMs: startMs + 2_000 + billsec * 1_000,
  };
}
