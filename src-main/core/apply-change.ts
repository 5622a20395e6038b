import type { Knex } from "knex";
import type { Change } from "../../src-shared/server-api/changes";
import { HistoryCall } from "../../src-shared/api/contract";
import { deleteCall, upsertCalls } from "./store/calls-repo";

/**
 * Applies one change-feed row to the local mirror. Entities the app does not
 * mirror are skipped (the company and user rows refresh the session instead).
 */
export async function applyChange(trx: Knex.Transaction, change: Change): Promise<void> {
  switch (change.entity) {
    case "call": {
      if (change.op === "delete") {
        await deleteCall(trx, change.entityId);
        return;
      }
      const call = HistoryCall.safeParse(change.data);
      if (!call.success) {
        console.warn(`[sync] skipped malformed call ${change.entityId}`);
        return;
      }
      await upsertCalls(trx, [{ ...call.data, updatedSeq: change.seq }]);
      return;
    }
    default:
      return;
  }
}
