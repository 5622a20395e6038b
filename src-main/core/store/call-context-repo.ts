import type { Knex } from "knex";

/** The mirrored person one of whose numbers is exactly `e164` (the most recently changed, if several share it). */
export async function personIdByNumber(db: Knex, e164: string): Promise<string | null> {
  const row = await db("phones as ph")
    .join("people as p", "p.id", "ph.owner_id")
    .where({ "ph.owner_kind": "person", "ph.number": e164 })
    .orderBy("p.updated_seq", "desc")
    .first<{ id: string } | undefined>("p.id as id");
  return row?.id ?? null;
}

/** The newest non-empty notes on a call with this contact (or, without one, to this number). */
export async function lastCallNote(db: Knex, where: { contactId: string | null; number: string }): Promise<{ notes: string; at: number } | null> {
  const query = db("calls").whereNotNull("notes").andWhere("notes", "<>", "").orderBy("started_at", "desc");
  void (where.contactId !== null ? query.where("contact_id", where.contactId) : query.where("number", where.number));
  const row = await query.first<{ notes: string; started_at: number } | undefined>("notes", "started_at");
  return row === undefined ? null : { notes: row.notes, at: row.started_at };
}

/** The mirrored call to `number` that started within [from, to]: the server's record of a call this device just made. */
export async function callStartedBetween(db: Knex, number: string, from: number, to: number): Promise<{ answeredAt: number | null; endedAt: number | null; billedSeconds: number; costMicros: number | null; recordingId: string | null; disposition: string } | null> {
  const row = await db("calls")
    .where({ number })
    .andWhereBetween("started_at", [from, to])
    .orderBy("started_at", "desc")
    .first<{ answered_at: number | null; ended_at: number | null; billed_seconds: number; cost_micros: number | null; recording_id: string | null; disposition: string } | undefined>("answered_at", "ended_at", "billed_seconds", "cost_micros", "recording_id", "disposition");
  return row === undefined ? null : { answeredAt: row.answered_at, endedAt: row.ended_at, billedSeconds: row.billed_seconds, costMicros: row.cost_micros, recordingId: row.recording_id ?? null, disposition: row.disposition };
}
