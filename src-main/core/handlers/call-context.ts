import type { CallContext } from "../../../src-shared/api/areas/phone";
import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { CoreContext } from "../core-context";
import { callStartedBetween, lastCallNote, personIdByNumber } from "../store/call-context-repo";
import { getLocalDeal, getLocalPerson, listLocalDeals } from "../store/crm-repo";

/** The server starts its record when the PBX asks to authorize: a little after the dial, never long after. */
const recordWindowMs = { before: 5_000, after: 120_000 };

/**
 * What the call screen shows about the other party, read from the local
 * mirror only (so it shows offline too): the page the call was placed from
 * wins, then the person with that exact number. The deal is the page's, else
 * the person's most recently changed one.
 */
export function callContextHandlers(ctx: CoreContext): Pick<ApiHandlers, "getCallContext"> {
  return {
    async getCallContext({ clientCallId, number, dialedAt }): Promise<CallContext> {
      const { db } = ctx;
      const link = ctx.dialLinks.of(clientCallId);
      const deal = link?.dealId ? await getLocalDeal(db, link.dealId) : undefined;
      const personId = link?.contactId ?? deal?.personId ?? (await personIdByNumber(db, number));
      const person = personId === null ? undefined : await getLocalPerson(db, personId);
      const shownDeal = deal ?? (person === undefined ? undefined : (await listLocalDeals(db, { personId: person.id }, 1))[0]);
      const found = link !== null || person !== undefined;
      const contact: CallContext["contact"] = found
        ? {
            source: link !== null ? "page" : "number",
            personName: person?.name ?? deal?.personName ?? null,
            organizationName: person?.organizationName ?? shownDeal?.organizationName ?? null,
            dealTitle: shownDeal?.title ?? null,
            lastNote: await lastCallNote(db, { contactId: person?.id ?? null, number }),
          }
        : null;
      const mirrored = await callStartedBetween(db, number, dialedAt - recordWindowMs.before, dialedAt + recordWindowMs.after);
      const record = mirrored === null ? null : { billedSeconds: mirrored.billedSeconds, costMicros: mirrored.costMicros, recorded: mirrored.recordingId !== null };
      return { contact, record };
    },
  };
}
