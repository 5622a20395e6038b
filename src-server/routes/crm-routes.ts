import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  CrmId,
  CrmListQuery,
  Deal,
  DealBody,
  DealPatch,
  DealsReply,
  ImportContactsBody,
  ImportContactsReply,
  LinkCallBody,
  LinkCallReply,
  Organization,
  OrganizationBody,
  OrganizationPatch,
  OrganizationsReply,
  PeopleReply,
  Person,
  PersonBody,
  PersonPatch,
  crmPaths,
} from "../../src-shared/server-api/crm";
import { HistoryCall } from "../../src-shared/api/contract";
import { CallEditBody, CallEditReply, EditHistoryReply, PersonEditBody, PersonEditReply, syncEditPaths } from "../../src-shared/server-api/sync-edits";
import { editCall, readHistoryCall } from "../crm/call-edits";
import { listEditHistory } from "../crm/field-edits";
import { editPerson } from "../crm/person-edits";
import { linkExistingCall } from "../crm/link-call";
import { normalizePhones } from "../crm/crm-phones";
import { createDeal, getDeal, listDeals, updateDeal } from "../crm/deals-repo";
import { createOrganization, getOrganization, listOrganizations, updateOrganization } from "../crm/organizations-repo";
import { createPerson, getPerson, listPeople } from "../crm/people-repo";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";
import { sendJsonBodiesToImports, uploadOf } from "../imports/upload-body";

const IdParams = z.object({ id: CrmId });
/** A contacts file of up to 2,000,000 characters, as JSON. */
export const contactsBodyLimit = 2_500_000;
const user = { access: "user" } as const;
const idOrNull = (id: string | null): number | null => (id === null ? null : Number(id));
const idOrUndefined = (id: string | null | undefined): number | null | undefined => (id === undefined ? undefined : idOrNull(id));

/** People, organizations and deals: every user of the company reads and edits them, as in a CRM; other companies' rows are 404. */
export function registerCrmRoutes(app: App, deps: ServerDeps): void {
  const { db } = deps;

  app.get(crmPaths.people, { config: user, schema: { querystring: CrmListQuery, response: { 200: PeopleReply } } }, async (request) => ({
    people: await listPeople(db, authOf(request).companyId, request.query.q, request.query.limit),
  }));
  app.get(crmPaths.person, { config: user, schema: { params: IdParams, response: { 200: Person } } }, (request) =>
    getPerson(db, authOf(request).companyId, Number(request.params.id)),
  );
  app.post(crmPaths.people, { config: user, schema: { body: PersonBody, response: { 200: Person } } }, async (request) => {
    const { companyId } = authOf(request);
    const phones = await normalizePhones(db, companyId, request.body.phones);
    return db.transaction((trx) => createPerson(trx, companyId, { ...request.body, organizationId: idOrNull(request.body.organizationId), phones }, deps.now()));
  });
  // Every person edit goes through per-field last writer wins (docs/sync-rules.md); an online PATCH counts at its receipt.
  const personPatch = async (companyId: number, patch: z.infer<typeof PersonPatch>) => {
    const { phones, organizationId, ...rest } = patch;
    const normalized = phones === undefined ? undefined : await normalizePhones(db, companyId, phones);
    return { ...rest, organizationId: idOrUndefined(organizationId), phones: normalized };
  };
  app.patch(crmPaths.person, { config: user, schema: { params: IdParams, body: PersonPatch, response: { 200: Person } } }, async (request) => {
    const auth = authOf(request);
    const patch = await personPatch(auth.companyId, request.body);
    const now = deps.now();
    return (await db.transaction((trx) => editPerson(trx, auth, Number(request.params.id), { patch, editedAt: now, idempotencyKey: null }, now))).person;
  });
  app.post(syncEditPaths.personEdit, { config: user, schema: { params: IdParams, body: PersonEditBody, response: { 200: PersonEditReply } } }, async (request) => {
    const auth = authOf(request);
    const { patch, editedAt, idempotencyKey } = request.body;
    const fields = await personPatch(auth.companyId, patch);
    return db.transaction((trx) => editPerson(trx, auth, Number(request.params.id), { patch: fields, editedAt, idempotencyKey }, deps.now()));
  });
  app.get(syncEditPaths.personHistory, { config: user, schema: { params: IdParams, response: { 200: EditHistoryReply } } }, async (request) => {
    const { companyId } = authOf(request);
    const person = await getPerson(db, companyId, Number(request.params.id));
    return { versions: await listEditHistory(db, { companyId, entity: "person", entityId: person.id }) };
  });

  app.get(syncEditPaths.call, { config: user, schema: { params: IdParams, response: { 200: HistoryCall } } }, (request) =>
    readHistoryCall(db, authOf(request), Number(request.params.id)),
  );
  app.post(syncEditPaths.callEdit, { config: user, schema: { params: IdParams, body: CallEditBody, response: { 200: CallEditReply } } }, (request) =>
    db.transaction((trx) => editCall(trx, authOf(request), Number(request.params.id), request.body, deps.now())),
  );
  app.get(syncEditPaths.callHistory, { config: user, schema: { params: IdParams, response: { 200: EditHistoryReply } } }, async (request) => {
    const auth = authOf(request);
    const call = await readHistoryCall(db, auth, Number(request.params.id));
    return { versions: await listEditHistory(db, { companyId: auth.companyId, entity: "call", entityId: call.id }) };
  });

  app.get(crmPaths.organizations, { config: user, schema: { querystring: CrmListQuery, response: { 200: OrganizationsReply } } }, async (request) => ({
    organizations: await listOrganizations(db, authOf(request).companyId, request.query.q, request.query.limit),
  }));
  app.get(crmPaths.organization, { config: user, schema: { params: IdParams, response: { 200: Organization } } }, (request) =>
    getOrganization(db, authOf(request).companyId, Number(request.params.id)),
  );
  app.post(crmPaths.organizations, { config: user, schema: { body: OrganizationBody, response: { 200: Organization } } }, async (request) => {
    const { companyId } = authOf(request);
    const phones = await normalizePhones(db, companyId, request.body.phones);
    return db.transaction((trx) => createOrganization(trx, companyId, { name: request.body.name, phones }, deps.now()));
  });
  app.patch(crmPaths.organization, { config: user, schema: { params: IdParams, body: OrganizationPatch, response: { 200: Organization } } }, async (request) => {
    const { companyId } = authOf(request);
    const phones = request.body.phones === undefined ? undefined : await normalizePhones(db, companyId, request.body.phones);
    return db.transaction((trx) => updateOrganization(trx, companyId, Number(request.params.id), { name: request.body.name, phones }, deps.now()));
  });

  app.get(crmPaths.deals, { config: user, schema: { querystring: CrmListQuery, response: { 200: DealsReply } } }, async (request) => ({
    deals: await listDeals(db, authOf(request).companyId, request.query.q, request.query.limit),
  }));
  app.get(crmPaths.deal, { config: user, schema: { params: IdParams, response: { 200: Deal } } }, (request) =>
    getDeal(db, authOf(request).companyId, Number(request.params.id)),
  );
  app.post(crmPaths.deals, { config: user, schema: { body: DealBody, response: { 200: Deal } } }, async (request) => {
    const { companyId } = authOf(request);
    const body = request.body;
    return db.transaction((trx) => createDeal(trx, companyId, { ...body, personId: idOrNull(body.personId), organizationId: idOrNull(body.organizationId) }, deps.now()));
  });
  app.patch(crmPaths.deal, { config: user, schema: { params: IdParams, body: DealPatch, response: { 200: Deal } } }, async (request) => {
    const { companyId } = authOf(request);
    const { personId, organizationId, ...rest } = request.body;
    return db.transaction((trx) =>
      updateDeal(trx, companyId, Number(request.params.id), { ...rest, personId: idOrUndefined(personId), organizationId: idOrUndefined(organizationId) }, deps.now()),
    );
  });

  // The file's body is read and checked against ImportContactsBody, and its contacts written, on the import thread, not here.
  void app.register((plain, _options, done) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    sendJsonBodiesToImports(scope, deps.imports);
    scope.post(crmPaths.importContacts, { config: user, bodyLimit: contactsBodyLimit, schema: { response: { 200: ImportContactsReply } } }, (request) =>
      deps.imports.importContacts(db, uploadOf(request.body, ImportContactsBody), authOf(request).companyId, deps.now()),
    );
    done();
  });

  app.post(crmPaths.linkCall, { config: user, schema: { body: LinkCallBody, response: { 200: LinkCallReply } } }, async (request) => {
    const auth = authOf(request);
    const { clientCallId, contactId, dealId } = request.body;
    const linked = await db.transaction((trx) => linkExistingCall(trx, auth, clientCallId, idOrNull(contactId), idOrNull(dealId), deps.now()));
    return { ok: true as const, linked };
  });
}
