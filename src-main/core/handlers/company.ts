import { randomUUID } from "node:crypto";
import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { companyMethodNames } from "../../../src-shared/api/areas/company-names";
import type { PendingOutcomes } from "../../../src-shared/api/areas/company";
import { drop } from "../../../src-shared/assert-never";
import { CallerError } from "../../../src-shared/errors";
import { AdminUser } from "../../../src-shared/server-api/admin";
import {
  CompanyUsersReply,
  companyAdminPaths as paths,
  InviteReply,
  LoggedOutcome,
  Outcome,
  OutcomesReply,
  pathWithId,
} from "../../../src-shared/server-api/company-admin";
import { adminUserCallerPath } from "../../../src-shared/server-api/sip";
import { Ok } from "../../../src-shared/api/common-schemas";
import type { CoreContext } from "../core-context";
import { getSetting, setSetting } from "../store/settings-repo";
import {
  addPending,
  listPending,
  listQueued,
  notePendingFailure,
  queueOutcome,
  removePending,
  reopenPending,
} from "../store/pending-outcomes-repo";
import { recordingsHandlers } from "./recordings";

export type CompanyHandlers = Pick<ApiHandlers, (typeof companyMethodNames)[number]>;

const outcomesCacheKey = "company.outcomes";
const noOutcomes: OutcomesReply = { outcomes: [], required: false };
/** When outcomes are optional, a call nobody answered the picker for is forgotten after this long. */
const optionalPendingTtlMs = 3600_000;

const isOffline = (error: unknown): boolean => error instanceof CallerError && error.code === "server_unreachable";

/** Company settings (admin) and the end-of-call outcome, which waits on this device until the server has it. */
export function companyHandlers(ctx: CoreContext): CompanyHandlers {
  const { db, session, events } = ctx;

  const currentUserId = async (): Promise<number> => {
    const state = await session.state();
    if (!state.signedIn) throw new CallerError("not_signed_in", "Sign in first.");
    return state.user.id;
  };

  /** The server's list when it answers, else the last copy seen: the picker works offline. */
  const callOutcomes = async (): Promise<OutcomesReply> => {
    try {
      const fresh = await session.request(OutcomesReply, "GET", paths.outcomes);
      await setSetting(db, outcomesCacheKey, fresh);
      return fresh;
    } catch (error) {
      if (!isOffline(error)) throw error;
      return getSetting(db, outcomesCacheKey, OutcomesReply, noOutcomes);
    }
  };
  const cachedRequired = async (): Promise<boolean> => (await getSetting(db, outcomesCacheKey, OutcomesReply, noOutcomes)).required;

  const pendingState = async (): Promise<PendingOutcomes> => {
    const userId = await currentUserId();
    const required = await cachedRequired();
    const all = await listPending(db, userId);
    if (required) return { pending: all, required };
    const stale = all.filter((p) => p.state === "awaiting" && p.endedAt < Date.now() - optionalPendingTtlMs);
    for (const p of stale) await removePending(db, p.clientCallId);
    return { pending: all.filter((p) => !stale.includes(p)), required };
  };

  const publish = async (): Promise<PendingOutcomes> => {
    const state = await pendingState();
    events.emit("pendingOutcomesChanged", state);
    return state;
  };

  /** Sends queued choices, oldest first; stops at the first sign the server is away. One run at a time. */
  let flushing: Promise<void> | null = null;
  const flush = (): Promise<void> => {
    flushing ??= (async () => {
      if (!session.signedIn) return;
      let sent = 0;
      for (const queued of await listQueued(db, await currentUserId())) {
        try {
          const body = { outcomeId: queued.outcomeId, notes: queued.notes, idempotencyKey: queued.idempotencyKey };
          await session.request(LoggedOutcome, "POST", pathWithId(paths.callOutcome, queued.clientCallId), body);
          await removePending(db, queued.clientCallId, queued.idempotencyKey);
          sent += 1;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          if (isOffline(error)) {
            await notePendingFailure(db, queued.clientCallId, message);
            break;
          }
          if (error instanceof CallerError && error.code === "conflict") await reopenPending(db, queued.clientCallId, message);
          // The call never reached the server (it failed before the PBX asked): nothing to log it on.
          else if (error instanceof CallerError && error.code === "not_found") await removePending(db, queued.clientCallId);
          else await notePendingFailure(db, queued.clientCallId, message);
        }
      }
      if (sent > 0) ctx.syncSoon();
      await publish();
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  };

  // Every successful pull of the change feed means the server is reachable: replay what waited.
  events.on("syncChanged", (state) => {
    if (state.status === "idle" && session.signedIn) drop(flush(), (error) => console.warn("[outcomes] replay failed", error));
  });

  return {
    ...recordingsHandlers(ctx),
    listCompanyUsers: () => session.request(CompanyUsersReply, "GET", paths.users),
    inviteCompanyUser: (body) => session.request(InviteReply, "POST", paths.invitations, body),
    resendCompanyInvitation: ({ userId, via }) => session.request(InviteReply, "POST", pathWithId(paths.userInvitation, userId), { via: via ?? "email" }),
    cancelCompanyInvitation: ({ userId }) => session.request(Ok, "DELETE", pathWithId(paths.userInvitation, userId)),
    setCompanyUserCaller: ({ userId, enabled }) => session.request(AdminUser, "POST", pathWithId(adminUserCallerPath, userId), { enabled }),
    listAdminOutcomes: () => session.request(OutcomesReply, "GET", paths.adminOutcomes),
    createOutcome: (body) => session.request(Outcome, "POST", paths.adminOutcomes, body),
    updateOutcome: ({ id, ...patch }) => session.request(Outcome, "PATCH", pathWithId(paths.adminOutcome, id), patch),
    deleteOutcome: ({ id }) => session.request(Ok, "DELETE", pathWithId(paths.adminOutcome, id)),
    reorderOutcomes: (body) => session.request(OutcomesReply, "PUT", paths.outcomeOrder, body),
    setOutcomeRequired: (body) => session.request(OutcomesReply, "PUT", paths.outcomeSettings, body),
    getCallOutcomes: callOutcomes,
    noteCallEnded: async (call) => {
      await addPending(db, await currentUserId(), call);
      // Refreshes the list and the required switch while the picker opens.
      await callOutcomes().catch(() => undefined);
      return publish();
    },
    listPendingOutcomes: async () => {
      drop(flush(), () => undefined);
      return pendingState();
    },
    logCallOutcome: async ({ clientCallId, outcomeId, notes }) => {
      const userId = await currentUserId();
      if (!(await queueOutcome(db, userId, { clientCallId, outcomeId, notes }, randomUUID()))) {
        throw new CallerError("not_found", "This call is not waiting for an outcome");
      }
      await flush();
      return pendingState();
    },
    skipCallOutcome: async ({ clientCallId }) => {
      if (await cachedRequired()) throw new CallerError("conflict", "Your company asks for an outcome on every call");
      await removePending(db, clientCallId);
      return publish();
    },
  };
}
