import type { Knex } from "knex";
import type { PersonEditReply } from "../../src-shared/server-api/sync-edits";
import { toInt } from "../db/row-values";
import type { RequestAuth } from "../http/app";
import { announceCrm } from "./crm-changes";
import { claimEditKey, decideFields, effectiveEditTime, type FieldEdit } from "./field-edits";
import { getPerson, updatePerson, type PersonFields } from "./people-repo";

export interface PersonEdit {
  patch: Partial<PersonFields>;
  /** The client's clock at the edit; an online edit made here is `now`. */
  editedAt: number;
  /** null: an edit without a key (the plain PATCH route), applied once by nature. */
  idempotencyKey: string | null;
}

const personFields = ["name", "email", "organizationId", "phones"] as const satisfies readonly (keyof PersonFields)[];

/**
 * Applies what wins of a person edit (last writer wins per field), keeps what
 * loses, and announces the person either way so every desktop, the editing one
 * included, ends with the server's values.
 */
export async function editPerson(trx: Knex.Transaction, auth: RequestAuth, id: number, edit: PersonEdit, now: number): Promise<PersonEditReply> {
  const before = await getPerson(trx, auth.companyId, id);
  const target = { companyId: auth.companyId, entity: "person", entityId: before.id } as const;
  if (edit.idempotencyKey !== null && !(await claimEditKey(trx, target, edit.idempotencyKey, auth.userId, now))) {
    return { applied: [], kept: [], refused: [], replay: true, person: before };
  }
  const created = await trx("crm_people").where({ id }).first<{ created_at: number | string }>("created_at");
  const setAt = toInt(created?.created_at ?? 0);
  const current: Record<(typeof personFields)[number], unknown> = {
    name: before.name,
    email: before.email,
    organizationId: before.organizationId === null ? null : Number(before.organizationId),
    phones: before.phones,
  };
  const edits: FieldEdit[] = personFields.filter((f) => edit.patch[f] !== undefined).map((field) => ({ field, value: edit.patch[field], current: current[field], setAt }));
  const decision = await decideFields(trx, target, edits, effectiveEditTime(edit.editedAt, now), auth.userId, now);
  const winning: Partial<PersonFields> = {};
  for (const field of decision.won) Object.assign(winning, { [field]: edit.patch[field as keyof PersonFields] });
  let person = before;
  if (decision.won.length > 0) person = await updatePerson(trx, auth.companyId, id, winning, now);
  else await announceCrm(trx, auth.companyId, "person", person.id, person, now);
  return { applied: decision.won, kept: decision.lost, refused: [], replay: false, person };
}
