import type { Knex } from "knex";
import type { Availability, CompanyNumber, RingGroup, RingStrategy } from "../../src-shared/server-api/inbound";
import { toInt } from "../db/row-values";

interface NumberRow {
  id: number | string;
  company_id: number | string;
  number: string;
  label: string;
  user_id: number | string | null;
  group_id: number | string | null;
  ring_seconds: number | string;
}

export interface NumberRecord extends CompanyNumber {
  companyId: number;
}

const toNumber = (row: NumberRow): NumberRecord => ({
  id: toInt(row.id),
  companyId: toInt(row.company_id),
  number: row.number,
  label: row.label,
  userId: row.user_id === null ? null : toInt(row.user_id),
  groupId: row.group_id === null ? null : toInt(row.group_id),
  ringSeconds: toInt(row.ring_seconds),
});

export async function listNumbers(db: Knex, companyId: number): Promise<NumberRecord[]> {
  return (await db<NumberRow>("company_numbers").where({ company_id: companyId }).orderBy("number")).map(toNumber);
}

/** Any company's number: the trunk's DID decides whose it is. */
export async function findNumber(db: Knex, number: string): Promise<NumberRecord | undefined> {
  const row = await db<NumberRow>("company_numbers").where({ number }).first();
  return row === undefined ? undefined : toNumber(row);
}

export async function findCompanyNumber(db: Knex, companyId: number, id: number): Promise<NumberRecord | undefined> {
  const row = await db<NumberRow>("company_numbers").where({ company_id: companyId, id }).first();
  return row === undefined ? undefined : toNumber(row);
}

export interface NumberValues {
  number: string;
  label: string;
  userId: number | null;
  groupId: number | null;
  ringSeconds: number;
}

export async function insertNumber(db: Knex, companyId: number, values: NumberValues, now: number): Promise<NumberRecord> {
  const [row] = await db("company_numbers")
    .insert({ company_id: companyId, number: values.number, label: values.label, user_id: values.userId, group_id: values.groupId, ring_seconds: values.ringSeconds, created_at: now, updated_at: now })
    .returning<NumberRow[]>("*");
  return toNumber(row!);
}

export async function updateNumber(db: Knex, companyId: number, id: number, values: NumberValues, now: number): Promise<void> {
  await db("company_numbers")
    .where({ company_id: companyId, id })
    .update({ number: values.number, label: values.label, user_id: values.userId, group_id: values.groupId, ring_seconds: values.ringSeconds, updated_at: now });
}

export async function deleteNumber(db: Knex, companyId: number, id: number): Promise<number> {
  return db("company_numbers").where({ company_id: companyId, id }).delete();
}

interface GroupRow {
  id: number | string;
  company_id: number | string;
  name: string;
  strategy: RingStrategy;
  next_index: number | string;
}

export interface GroupRecord extends RingGroup {
  companyId: number;
  nextIndex: number;
}

async function membersOf(db: Knex, groupIds: readonly number[]): Promise<Map<number, number[]>> {
  const rows = await db<{ group_id: number | string; user_id: number | string }>("ring_group_members").whereIn("group_id", groupIds).orderBy(["group_id", "position"]);
  const byGroup = new Map<number, number[]>();
  for (const row of rows) {
    const list = byGroup.get(toInt(row.group_id)) ?? [];
    list.push(toInt(row.user_id));
    byGroup.set(toInt(row.group_id), list);
  }
  return byGroup;
}

export async function listGroups(db: Knex, companyId: number): Promise<GroupRecord[]> {
  const rows = await db<GroupRow>("ring_groups").where({ company_id: companyId }).orderBy("name");
  const members = await membersOf(db, rows.map((r) => toInt(r.id)));
  return rows.map((row) => ({ id: toInt(row.id), companyId: toInt(row.company_id), name: row.name, strategy: row.strategy, nextIndex: toInt(row.next_index), memberIds: members.get(toInt(row.id)) ?? [] }));
}

export async function findGroup(db: Knex, companyId: number, id: number): Promise<GroupRecord | undefined> {
  return (await listGroups(db, companyId)).find((group) => group.id === id);
}

export interface GroupValues {
  name: string;
  strategy: RingStrategy;
  memberIds: readonly number[];
}

async function writeMembers(trx: Knex.Transaction, groupId: number, memberIds: readonly number[]): Promise<void> {
  await trx("ring_group_members").where({ group_id: groupId }).delete();
  if (memberIds.length > 0) await trx("ring_group_members").insert(memberIds.map((userId, position) => ({ group_id: groupId, user_id: userId, position })));
}

export async function insertGroup(trx: Knex.Transaction, companyId: number, values: GroupValues, now: number): Promise<number> {
  const [row] = await trx("ring_groups").insert({ company_id: companyId, name: values.name, strategy: values.strategy, next_index: 0, created_at: now, updated_at: now }).returning<{ id: number | string }[]>("id");
  const id = toInt(row!.id);
  await writeMembers(trx, id, values.memberIds);
  return id;
}

export async function updateGroup(trx: Knex.Transaction, companyId: number, id: number, values: GroupValues, now: number): Promise<void> {
  await trx("ring_groups").where({ company_id: companyId, id }).update({ name: values.name, strategy: values.strategy, next_index: 0, updated_at: now });
  await writeMembers(trx, id, values.memberIds);
}

export async function deleteGroup(db: Knex, companyId: number, id: number): Promise<number> {
  return db("ring_groups").where({ company_id: companyId, id }).delete();
}

/** Moves the round-robin cursor on by one, from the value read (a concurrent call moving it too only skips one turn). */
export async function advanceGroupCursor(db: Knex, groupId: number, from: number, memberCount: number): Promise<void> {
  await db("ring_groups").where({ id: groupId }).update({ next_index: memberCount === 0 ? 0 : (from + 1) % memberCount });
}

/** Users of the company, of these ids (admins checking members and targets belong to them). */
export async function companyUserIds(db: Knex, companyId: number, userIds: readonly number[]): Promise<Set<number>> {
  const rows = await db("users").where({ company_id: companyId }).whereIn("id", [...userIds]).select<{ id: number | string }[]>("id");
  return new Set(rows.map((row) => toInt(row.id)));
}

export async function getAvailability(db: Knex, userId: number): Promise<Availability> {
  const row = (await db("user_availability").where({ user_id: userId }).first()) as { status: Availability } | undefined;
  // Nobody has set it yet: a user is rung until they say they are away.
  return row?.status ?? "available";
}

export async function awayUserIds(db: Knex, userIds: readonly number[]): Promise<Set<number>> {
  const rows = await db("user_availability").whereIn("user_id", [...userIds]).where({ status: "away" }).select<{ user_id: number | string }[]>("user_id");
  return new Set(rows.map((row) => toInt(row.user_id)));
}

/** The company's users who are away, by id. */
export async function companyAwayUserIds(db: Knex, companyId: number): Promise<number[]> {
  const rows = await db("user_availability")
    .join("users", "users.id", "user_availability.user_id")
    .where({ "users.company_id": companyId, "user_availability.status": "away" })
    .orderBy("user_availability.user_id")
    .select<{ user_id: number | string }[]>("user_availability.user_id");
  return rows.map((row) => toInt(row.user_id));
}

export async function setAvailability(db: Knex, userId: number, status: Availability, now: number): Promise<void> {
  await db("user_availability").insert({ user_id: userId, status, updated_at: now }).onConflict("user_id").merge({ status, updated_at: now });
}

/** The number an inbound call came in on, and whether the caller left a voicemail, beside the call's row. */
export async function noteInboundNumber(db: Knex, pbxUniqueid: string, number: string): Promise<void> {
  await db("calls").where({ pbx_uniqueid: pbxUniqueid }).update({ inbound_number: number });
}

export async function markVoicemail(db: Knex, pbxUniqueid: string): Promise<void> {
  await db("calls").where({ pbx_uniqueid: pbxUniqueid, direction: "inbound" }).update({ voicemail: true });
}
