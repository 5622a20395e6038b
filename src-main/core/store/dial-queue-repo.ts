import type { Knex } from "knex";
import type { DialItemState, DialQueueStatus, SkipReason } from "../../../src-shared/api/areas/dialer";

export interface QueueRow {
  id: string;
  serverUrl: string;
  userId: number;
  name: string;
  status: DialQueueStatus;
  error: string | null;
  createdAt: number;
}

export interface ItemRow {
  position: number;
  contactId: string | null;
  dealId: string | null;
  name: string;
  number: string;
  state: DialItemState;
  clientCallId: string | null;
  result: string | null;
  skipReason: SkipReason | null;
  opensAt: number | null;
}

interface QueueColumns {
  id: string;
  server_url: string;
  user_id: number;
  name: string;
  status: DialQueueStatus;
  error: string | null;
  created_at: number;
}

interface ItemColumns {
  position: number;
  contact_id: string | null;
  deal_id: string | null;
  name: string;
  number: string;
  state: DialItemState;
  client_call_id: string | null;
  result: string | null;
  skip_reason: SkipReason | null;
  opens_at: number | null;
}

const toQueue = (r: QueueColumns): QueueRow => ({ id: r.id, serverUrl: r.server_url, userId: r.user_id, name: r.name, status: r.status, error: r.error, createdAt: r.created_at });
const toItem = (r: ItemColumns): ItemRow => ({
  position: r.position,
  contactId: r.contact_id,
  dealId: r.deal_id,
  name: r.name,
  number: r.number,
  state: r.state,
  clientCallId: r.client_call_id,
  result: r.result,
  skipReason: r.skip_reason,
  opensAt: r.opens_at,
});

/** The user's latest queue on this server (one at a time). */
export async function findLatestQueue(db: Knex, serverUrl: string, userId: number): Promise<QueueRow | undefined> {
  const row = await db("dial_queues").where({ server_url: serverUrl, user_id: userId }).orderBy("created_at", "desc").first<QueueColumns | undefined>();
  return row === undefined ? undefined : toQueue(row);
}

export async function listItems(db: Knex, queueId: string): Promise<ItemRow[]> {
  return ((await db("dial_queue_items").where({ queue_id: queueId }).orderBy("position")) as ItemColumns[]).map(toItem);
}

/** Replaces the user's queues with this one and its items. */
export async function insertQueue(trx: Knex.Transaction, queue: QueueRow, items: Pick<ItemRow, "contactId" | "dealId" | "name" | "number">[], now: number): Promise<void> {
  await trx("dial_queues").where({ server_url: queue.serverUrl, user_id: queue.userId }).delete();
  await trx("dial_queues").insert({ id: queue.id, server_url: queue.serverUrl, user_id: queue.userId, name: queue.name, status: queue.status, error: null, created_at: queue.createdAt, updated_at: now });
  const rows = items.map((item, position) => ({ queue_id: queue.id, position, contact_id: item.contactId, deal_id: item.dealId, name: item.name, number: item.number, state: "waiting", updated_at: now }));
  // SQLite takes 999 variables per statement; 10 columns a row.
  for (let i = 0; i < rows.length; i += 90) await trx("dial_queue_items").insert(rows.slice(i, i + 90));
}

export async function setQueueStatus(db: Knex, queueId: string, status: DialQueueStatus, error: string | null, now: number): Promise<void> {
  await db("dial_queues").where({ id: queueId }).update({ status, error, updated_at: now });
}

export interface ItemChange {
  state: DialItemState;
  clientCallId?: string | null;
  result?: string | null;
  skipReason?: SkipReason | null;
  opensAt?: number | null;
}

/** Changes one item; `from`: only while it is in one of these states (false: it was not). */
export async function updateItem(db: Knex, queueId: string, position: number, change: ItemChange, now: number, from?: readonly DialItemState[]): Promise<boolean> {
  const query = db("dial_queue_items").where({ queue_id: queueId, position });
  if (from !== undefined) void query.whereIn("state", from);
  const updated = await query.update({
    state: change.state,
    ...(change.clientCallId === undefined ? {} : { client_call_id: change.clientCallId }),
    ...(change.result === undefined ? {} : { result: change.result }),
    ...(change.skipReason === undefined ? {} : { skip_reason: change.skipReason }),
    ...(change.opensAt === undefined ? {} : { opens_at: change.opensAt }),
    updated_at: now,
  });
  return updated > 0;
}
