import { recordingsEventNames, recordingsMethodNames } from "./recordings-names";

/** Company settings in the admin window: users and invitations, call outcomes, call recording (issue 6). Names only (the preload imports these). */
export const companyMethodNames = [
  "listCompanyUsers",
  "inviteCompanyUser",
  "resendCompanyInvitation",
  "cancelCompanyInvitation",
  "setCompanyUserCaller",
  "listAdminOutcomes",
  "createOutcome",
  "updateOutcome",
  "deleteOutcome",
  "reorderOutcomes",
  "setOutcomeRequired",
  "getCallOutcomes",
  "noteCallEnded",
  "listPendingOutcomes",
  "logCallOutcome",
  "skipCallOutcome",
  ...recordingsMethodNames,
] as const;
export const companyEventNames = ["pendingOutcomesChanged", ...recordingsEventNames] as const;
