import type { Knex } from "knex";
import type { Role } from "../../src-shared/domain/company";
import { clearCalls } from "./store/calls-repo";
import { saveSyncState } from "./store/sync-repo";

/** Who the mirror was pulled as: an admin's feed carries every user's calls, a regular user's only their own. */
export const audienceOf = (user: { id: number; role: Role }): string => `${user.id}:${user.role}`;

/**
 * Before a pull: a mirror pulled as someone else (another user, or the same
 * user before a role change, or before audiences existed) starts over from
 * seq 0. Calls pulled as someone else are forgotten first, so a demoted admin
 * keeps no other user's calls; a mirror from before audiences keeps its rows
 * (the re-pull overwrites them, adding their owner).
 */
export async function matchAudience(db: Knex, audience: string): Promise<boolean> {
  const row = await db("sync_state").where({ id: 1 }).first<{ audience: string | null } | undefined>("audience");
  const stored = row?.audience ?? null;
  if (stored === audience) return false;
  await db.transaction(async (trx) => {
    if (stored !== null) await clearCalls(trx);
    await saveSyncState(trx, { lastSeq: 0 });
    await trx("sync_state").where({ id: 1 }).update({ audience });
  });
  return true;
}

/** On sign-out, with the mirror cleared. */
export async function forgetAudience(db: Knex): Promise<void> {
  await db("sync_state").where({ id: 1 }).update({ audience: null });
}
