import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { companyMethodNames } from "../../../src-shared/api/areas/company-names";
import type { recordingsMethodNames } from "../../../src-shared/api/areas/recordings-names";
import { AdminUser } from "../../../src-shared/server-api/admin";
import { CompanyUsersReply, companyAdminPaths as paths, InviteReply, Outcome, OutcomesReply, pathWithId } from "../../../src-shared/server-api/company-admin";
import { adminUserCallerPath } from "../../../src-shared/server-api/sip";
import { Ok } from "../../../src-shared/api/common-schemas";
import type { CallOutcomes } from "../call-outcomes";
import type { CoreContext } from "../core-context";

/** The contract counts recordings in the company area; their handlers are recordings.ts, beside these in the core's table. */
export type CompanyHandlers = Pick<ApiHandlers, Exclude<(typeof companyMethodNames)[number], (typeof recordingsMethodNames)[number]>>;

/** Company settings (admin) and the end-of-call outcome, which `CallOutcomes` keeps until the server has it. */
export function companyHandlers(ctx: CoreContext, outcomes: CallOutcomes): CompanyHandlers {
  const { session } = ctx;
  return {
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
    getCallOutcomes: () => outcomes.outcomes(),
    noteCallEnded: (call) => outcomes.noteEnded(call),
    listPendingOutcomes: () => outcomes.pending(),
    logCallOutcome: (choice) => outcomes.log(choice),
    skipCallOutcome: ({ clientCallId }) => outcomes.skip(clientCallId),
  };
}
