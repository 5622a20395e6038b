import type { Knex } from "knex";
import type { DialQueueProblem, DialQueueRef } from "../../../src-shared/api/areas/dialer";
import { checkDialable } from "../../../src-shared/phone/dial-check";
import type { Person } from "../../../src-shared/server-api/crm";
import { getLocalDeal, getLocalPerson } from "../store/crm-repo";

export interface QueueRow {
  contactId: string | null;
  dealId: string | null;
  name: string;
  number: string;
}

/**
 * CRM rows (from the local mirror, so a queue can be built offline) to the
 * numbers to call: a contact's first number, a deal's person's. Every row
 * that has none, or one that can never be dialed, is a problem; the queue is
 * built only when there are none.
 */
export async function resolveQueueRows(db: Knex, refs: readonly DialQueueRef[], country: string): Promise<{ rows: QueueRow[]; problems: DialQueueProblem[] }> {
  const rows: QueueRow[] = [];
  const problems: DialQueueProblem[] = [];
  for (const [index, ref] of refs.entries()) {
    let person: Person | undefined;
    let dealId: string | null = null;
    let name: string;
    if (ref.kind === "deal") {
      const deal = await getLocalDeal(db, ref.id);
      if (deal === undefined) {
        problems.push({ index, name: ref.id, number: null, problem: "not_found" });
        continue;
      }
      dealId = deal.id;
      name = deal.personName === null ? deal.title : `${deal.personName} · ${deal.title}`;
      person = deal.personId === null ? undefined : await getLocalPerson(db, deal.personId);
    } else {
      person = await getLocalPerson(db, ref.id);
      if (person === undefined) {
        problems.push({ index, name: ref.id, number: null, problem: "not_found" });
        continue;
      }
      name = person.name;
    }
    const number = person?.phones[0]?.number;
    if (number === undefined) {
      problems.push({ index, name, number: null, problem: "no_number" });
      continue;
    }
    const check = checkDialable(number, country);
    if (!check.ok) {
      problems.push({ index, name, number, problem: "invalid_number" });
      continue;
    }
    rows.push({ contactId: person?.id ?? null, dealId, name, number: check.e164 });
  }
  return { rows, problems };
}
