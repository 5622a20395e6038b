import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { CallerError } from "../../src-shared/errors";
import {
  AvailabilityBody,
  AvailabilityReply,
  Deleted,
  GroupBody,
  GroupsReply,
  IdParams,
  inboundPaths,
  NumberBody,
  NumbersReply,
  RingGroup,
  CompanyNumber,
  type NumberTarget,
} from "../../src-shared/server-api/inbound";
import { authOf } from "../http/access";
import type { App, RequestAuth, ServerDeps } from "../http/app";
import {
  companyAwayUserIds,
  companyUserIds,
  deleteGroup,
  deleteNumber,
  findCompanyNumber,
  findGroup,
  findNumber,
  getAvailability,
  insertGroup,
  insertNumber,
  listGroups,
  listNumbers,
  setAvailability,
  updateGroup,
  updateNumber,
  type GroupRecord,
  type NumberRecord,
} from "./inbound-repo";

const toNumber = ({ companyId: _c, ...number }: NumberRecord): CompanyNumber => number;
const toGroup = ({ companyId: _c, nextIndex: _n, ...group }: GroupRecord): RingGroup => group;

/** A target of the admin's own company, or a clear refusal (another company's user or group is as unknown as a made-up id). */
async function checkTarget(deps: ServerDeps, auth: RequestAuth, target: NumberTarget): Promise<{ userId: number | null; groupId: number | null }> {
  if ("userId" in target) {
    if (!(await companyUserIds(deps.db, auth.companyId, [target.userId])).has(target.userId)) throw new CallerError("bad_request", "No user of your company has this id", { reason: "unknown_user" });
    return { userId: target.userId, groupId: null };
  }
  if ((await findGroup(deps.db, auth.companyId, target.groupId)) === undefined) throw new CallerError("bad_request", "No ring group of your company has this id", { reason: "unknown_ring_group" });
  return { userId: null, groupId: target.groupId };
}

/** A number is one company's: another company's (or this one's, under another id) is refused before anything is written. */
async function checkNumberFree(deps: ServerDeps, number: string, exceptId: number | null): Promise<void> {
  const existing = await findNumber(deps.db, number);
  if (existing !== undefined && existing.id !== exceptId) throw new CallerError("conflict", "This number is already assigned", { reason: "number_taken", params: { number } });
}

async function checkMembers(deps: ServerDeps, auth: RequestAuth, memberIds: readonly number[]): Promise<void> {
  if (new Set(memberIds).size !== memberIds.length) throw new CallerError("bad_request", "A member is listed twice", { reason: "member_listed_twice" });
  const known = await companyUserIds(deps.db, auth.companyId, memberIds);
  if (memberIds.some((id) => !known.has(id))) throw new CallerError("bad_request", "A member is not a user of your company", { reason: "member_not_in_company" });
}

/**
 * Incoming calls, the company's side: its numbers and ring groups (admins),
 * and each user's own available/away state (away users are not rung).
 */
export function registerInboundRoutes(app: App, deps: ServerDeps): void {
  const { db } = deps;
  void app.register((plain, _options, done) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();

    scope.get(inboundPaths.numbers, { config: { access: "admin" }, schema: { response: { 200: NumbersReply } } }, async (request) => ({
      numbers: (await listNumbers(db, authOf(request).companyId)).map(toNumber),
    }));
    scope.post(inboundPaths.numbers, { config: { access: "admin" }, schema: { body: NumberBody, response: { 200: CompanyNumber } } }, async (request) => {
      const auth = authOf(request);
      const target = await checkTarget(deps, auth, request.body.target);
      await checkNumberFree(deps, request.body.number, null);
      const { number, label, ringSeconds } = request.body;
      return toNumber(await insertNumber(db, auth.companyId, { number, label, ringSeconds, ...target }, deps.now()));
    });
    scope.put(inboundPaths.number, { config: { access: "admin" }, schema: { params: IdParams, body: NumberBody, response: { 200: CompanyNumber } } }, async (request) => {
      const auth = authOf(request);
      if ((await findCompanyNumber(db, auth.companyId, request.params.id)) === undefined) throw new CallerError("not_found", "No number of your company has this id");
      const target = await checkTarget(deps, auth, request.body.target);
      await checkNumberFree(deps, request.body.number, request.params.id);
      const { number, label, ringSeconds } = request.body;
      await updateNumber(db, auth.companyId, request.params.id, { number, label, ringSeconds, ...target }, deps.now());
      return toNumber((await findCompanyNumber(db, auth.companyId, request.params.id))!);
    });
    scope.delete(inboundPaths.number, { config: { access: "admin" }, schema: { params: IdParams, response: { 200: Deleted } } }, async (request) => {
      if ((await deleteNumber(db, authOf(request).companyId, request.params.id)) === 0) throw new CallerError("not_found", "No number of your company has this id");
      return { ok: true as const };
    });

    scope.get(inboundPaths.groups, { config: { access: "admin" }, schema: { response: { 200: GroupsReply } } }, async (request) => ({
      groups: (await listGroups(db, authOf(request).companyId)).map(toGroup),
      away: await companyAwayUserIds(db, authOf(request).companyId),
    }));
    scope.post(inboundPaths.groups, { config: { access: "admin" }, schema: { body: GroupBody, response: { 200: RingGroup } } }, async (request) => {
      const auth = authOf(request);
      await checkMembers(deps, auth, request.body.memberIds);
      if ((await listGroups(db, auth.companyId)).some((g) => g.name === request.body.name)) throw new CallerError("conflict", "A ring group has this name already", { reason: "ring_group_name_taken", params: { name: request.body.name } });
      const id = await db.transaction((trx) => insertGroup(trx, auth.companyId, request.body, deps.now()));
      return toGroup((await findGroup(db, auth.companyId, id))!);
    });
    scope.put(inboundPaths.group, { config: { access: "admin" }, schema: { params: IdParams, body: GroupBody, response: { 200: RingGroup } } }, async (request) => {
      const auth = authOf(request);
      if ((await findGroup(db, auth.companyId, request.params.id)) === undefined) throw new CallerError("not_found", "No ring group of your company has this id");
      await checkMembers(deps, auth, request.body.memberIds);
      if ((await listGroups(db, auth.companyId)).some((g) => g.name === request.body.name && g.id !== request.params.id)) throw new CallerError("conflict", "A ring group has this name already", { reason: "ring_group_name_taken", params: { name: request.body.name } });
      await db.transaction((trx) => updateGroup(trx, auth.companyId, request.params.id, request.body, deps.now()));
      return toGroup((await findGroup(db, auth.companyId, request.params.id))!);
    });
    scope.delete(inboundPaths.group, { config: { access: "admin" }, schema: { params: IdParams, response: { 200: Deleted } } }, async (request) => {
      const auth = authOf(request);
      if ((await listNumbers(db, auth.companyId)).some((n) => n.groupId === request.params.id)) throw new CallerError("conflict", "A number still rings this group; point it elsewhere first", { reason: "ring_group_in_use" });
      if ((await deleteGroup(db, auth.companyId, request.params.id)) === 0) throw new CallerError("not_found", "No ring group of your company has this id");
      return { ok: true as const };
    });

    scope.get(inboundPaths.availability, { config: { access: "user" }, schema: { response: { 200: AvailabilityReply } } }, async (request) => ({
      status: await getAvailability(db, authOf(request).userId),
    }));
    scope.put(inboundPaths.availability, { config: { access: "user" }, schema: { body: AvailabilityBody, response: { 200: AvailabilityReply } } }, async (request) => {
      const auth = authOf(request);
      await setAvailability(db, auth.userId, request.body.status, deps.now());
      return { status: request.body.status };
    });
    done();
  });
}
