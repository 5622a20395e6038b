import { z } from "zod";

/**
 * The change feed: every write the server makes that a client may see appends a
 * row with a monotonic `seq`. Clients pull `GET /api/changes?since=SEQ` until
 * `hasMore` is false and keep the last `seq` they applied.
 */
export const ChangesQuery = z.object({
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  /** `1`: the reply also counts the changes left after this page (for "syncing N of M"). */
  remaining: z.enum(["0", "1"]).optional(),
  /**
   * With nothing after `since`, hold the request up to this many ms for the next change
   * (long poll); 0 answers at once. Below the load balancer's 30 s server timeout.
   */
  waitMs: z.coerce.number().int().min(0).max(25_000).default(0),
});
export type ChangesQuery = z.infer<typeof ChangesQuery>;

export const Change = z.object({
  seq: z.number().int(),
  entity: z.string(),
  entityId: z.string(),
  op: z.enum(["upsert", "delete"]),
  data: z.unknown(),
  at: z.number().int(),
});
export type Change = z.infer<typeof Change>;

export const ChangesReply = z.object({
  changes: z.array(Change),
  next: z.number().int(),
  hasMore: z.boolean(),
  /** Changes left after this page; only when asked for. */
  remaining: z.number().int().optional(),
});
export type ChangesReply = z.infer<typeof ChangesReply>;
