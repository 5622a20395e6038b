import type { FastifyRequest } from "fastify";
import { Ok } from "../../src-shared/api/common-schemas";
import {
  CallRefParams,
  CompanyUsersReply,
  companyAdminPaths as paths,
  CreateOutcomeBody,
  IdParams,
  InviteBody,
  InviteReply,
  ResendInvitationBody,
  LoggedOutcome,
  LogOutcomeBody,
  Outcome,
  OutcomeSettingsBody,
  OutcomesReply,
  ReorderOutcomesBody,
  UpdateOutcomeBody,
} from "../../src-shared/server-api/company-admin";
import type { Knex } from "knex";
import { logCallOutcome } from "../company/call-outcome-log";
import { listCompanyUsers } from "../company/company-users";
import { cancelInvitation, inviteUser, resendInvitation, type InvitationDeps } from "../company/invitation-service";
import { registerInvitePageRoutes } from "../company/invite-page-routes";
import {
  createOutcome,
  deleteOutcome,
  ensureOutcomeDefaults,
  listOutcomes,
  outcomeRequired,
  reorderOutcomes,
  setOutcomeRequired,
  toOutcome,
  updateOutcome,
  type OutcomeRecord,
} from "../company/outcomes-repo";
import { appendChange } from "../db/changes-repo";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";
import type { Mailer } from "../mail/mailer";
import type { EndpointCache } from "../pbx/endpoint-cache";

/** Where the invitation link points: the address the admin's app reached this server at. */
const baseUrlOf = (request: FastifyRequest): string => `${request.protocol}://${request.host}`;

/** Users and invitations, call outcomes (issue 6). Invitation emails go through `mailer`; null: the admin copies the link. */
export function registerCompanyAdminRoutes(app: App, deps: ServerDeps, mailer: Mailer | null, endpoints: EndpointCache | null = null): void {
  const { db } = deps;
  const invitations: InvitationDeps = { db, now: deps.now, mailer, log: app.log, endpoints };
  registerInvitePageRoutes(app, deps);

  app.get(paths.users, { config: { access: "admin" }, schema: { response: { 200: CompanyUsersReply } } }, async (request) => ({
    users: await listCompanyUsers(db, authOf(request).companyId),
  }));

  app.post(paths.invitations, { config: { access: "admin" }, schema: { body: InviteBody, response: { 200: InviteReply } } }, (request) =>
    inviteUser(invitations, authOf(request), request.body, baseUrlOf(request)),
  );

  app.post(paths.userInvitation, { config: { access: "admin" }, schema: { params: IdParams, body: ResendInvitationBody.nullish(), response: { 200: InviteReply } } }, (request) =>
    resendInvitation(invitations, authOf(request), request.params.id, baseUrlOf(request), request.body?.via ?? "email"),
  );

  app.delete(paths.userInvitation, { config: { access: "admin" }, schema: { params: IdParams, response: { 200: Ok } } }, async (request) => {
    await cancelInvitation(invitations, authOf(request), request.params.id);
    return { ok: true as const };
  });

  /** Every outcome write: defaults first, the write, then the whole list to the feed (entity "outcome"). */
  const writeOutcomes = <T>(companyId: number, write: (trx: Knex.Transaction, now: number) => Promise<T>): Promise<T> => {
    const now = deps.now();
    return db.transaction(async (trx) => {
      await ensureOutcomeDefaults(trx, companyId, now);
      const result = await write(trx, now);
      const reply = await outcomesReply(trx, companyId, false);
      await appendChange(trx, { companyId, audienceUserId: null, entity: "outcome", entityId: String(companyId), op: "upsert", data: reply, at: now });
      return result;
    });
  };

  const outcomesReply = async (trx: Knex, companyId: number, enabledOnly: boolean): Promise<OutcomesReply> => {
    const outcomes = (await listOutcomes(trx, companyId)).filter((o) => !enabledOnly || o.enabled);
    return { outcomes: outcomes.map(toOutcome), required: await outcomeRequired(trx, companyId) };
  };

  const readOutcomes = (companyId: number, enabledOnly: boolean): Promise<OutcomesReply> =>
    db.transaction(async (trx) => {
      await ensureOutcomeDefaults(trx, companyId, deps.now());
      return outcomesReply(trx, companyId, enabledOnly);
    });

  app.get(paths.outcomes, { config: { access: "user" }, schema: { response: { 200: OutcomesReply } } }, (request) => readOutcomes(authOf(request).companyId, true));

  app.get(paths.adminOutcomes, { config: { access: "admin" }, schema: { response: { 200: OutcomesReply } } }, (request) => readOutcomes(authOf(request).companyId, false));

  const one = (record: OutcomeRecord): Outcome => toOutcome(record);

  app.post(paths.adminOutcomes, { config: { access: "admin" }, schema: { body: CreateOutcomeBody, response: { 200: Outcome } } }, async (request) => {
    const { companyId } = authOf(request);
    return one(await writeOutcomes(companyId, (trx, now) => createOutcome(trx, companyId, request.body.name, now)));
  });

  app.patch(paths.adminOutcome, { config: { access: "admin" }, schema: { params: IdParams, body: UpdateOutcomeBody, response: { 200: Outcome } } }, async (request) => {
    const { companyId } = authOf(request);
    return one(await writeOutcomes(companyId, (trx, now) => updateOutcome(trx, companyId, request.params.id, request.body, now)));
  });

  app.delete(paths.adminOutcome, { config: { access: "admin" }, schema: { params: IdParams, response: { 200: Ok } } }, async (request) => {
    const { companyId } = authOf(request);
    await writeOutcomes(companyId, (trx, now) => deleteOutcome(trx, companyId, request.params.id, now));
    return { ok: true as const };
  });

  app.put(paths.outcomeOrder, { config: { access: "admin" }, schema: { body: ReorderOutcomesBody, response: { 200: OutcomesReply } } }, async (request) => {
    const { companyId } = authOf(request);
    await writeOutcomes(companyId, (trx, now) => reorderOutcomes(trx, companyId, request.body.ids, now));
    return readOutcomes(companyId, false);
  });

  app.put(paths.outcomeSettings, { config: { access: "admin" }, schema: { body: OutcomeSettingsBody, response: { 200: OutcomesReply } } }, async (request) => {
    const { companyId } = authOf(request);
    await writeOutcomes(companyId, (trx, now) => setOutcomeRequired(trx, companyId, request.body.required, now));
    return readOutcomes(companyId, false);
  });

  app.post(paths.callOutcome, { config: { access: "user" }, schema: { params: CallRefParams, body: LogOutcomeBody, response: { 200: LoggedOutcome } } }, (request) =>
    db.transaction((trx) => logCallOutcome(trx, authOf(request), { callRef: request.params.id, ...request.body }, deps.now())),
  );
}
