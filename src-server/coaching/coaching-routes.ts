import { z } from "zod";
import { CallerError } from "../../src-shared/errors";
import {
  CallIdParams,
  CoachingLogReply,
  CoachingNotice,
  CoachingNoticeParams,
  CoachingPolicy,
  CoachingStartBody,
  CoachingStartReply,
  coachingPaths,
  LiveCallsReply,
} from "../../src-shared/server-api/coaching";
import { findCompanyCall, getCoachingPolicy, listCallCoachingLog, listCompanyCoachingLog, setCoachingPolicy } from "./coaching-repo";
import { formatCoachingAnswer, type Coaching } from "./coaching-service";
import { authOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";
import { pbxGuard } from "../pbx/pbx-guard";
import type { PbxServerConfig } from "../pbx/pbx-server-config";

/** Where [coach] trades the token for the channel to spy on, under the authorize URL as the dialplan knows it. */
export const coachingPbxPath = "/pbx/authorize/coach";

/** What the dialplan sends, already reduced to these character sets; anything else is refused whole. */
const CoachingPbxQuery = z.object({
  endpoint: z.string().regex(/^[0-9A-Za-z_.-]{1,80}$/),
  token: z.string().max(64),
  uniqueid: z.string().regex(/^[0-9A-Za-z_.-]{1,150}$/),
});

const logLimit = 200;

/** The admin's live-calls page, the coaching log and policy, the coached user's notice; the PBX's token exchange when a PBX is configured. */
export function registerCoachingRoutes(app: App, deps: ServerDeps, coaching: Coaching, pbx: PbxServerConfig | null): void {
  const { db } = deps;
  app.get(coachingPaths.liveCalls, { config: { access: "admin" }, schema: { response: { 200: LiveCallsReply } } }, async (request) => ({ calls: await coaching.liveCalls(authOf(request)) }));

  app.post(coachingPaths.sessions, { config: { access: "admin" }, schema: { body: CoachingStartBody, response: { 200: CoachingStartReply } } }, async (request) =>
    coaching.start(authOf(request), Number(request.body.callId), request.body.mode),
  );

  app.get(coachingPaths.log, { config: { access: "admin" }, schema: { response: { 200: CoachingLogReply } } }, async (request) => ({
    entries: await listCompanyCoachingLog(db, authOf(request).companyId, logLimit),
  }));

  app.get(coachingPaths.policy, { config: { access: "admin" }, schema: { response: { 200: CoachingPolicy } } }, async (request) => getCoachingPolicy(db, authOf(request).companyId));
  app.put(coachingPaths.policy, { config: { access: "admin" }, schema: { body: CoachingPolicy, response: { 200: CoachingPolicy } } }, async (request) => {
    const auth = authOf(request);
    await setCoachingPolicy(db, auth.companyId, request.body.notifyUser, deps.now());
    return getCoachingPolicy(db, auth.companyId);
  });

  app.get(coachingPaths.notice, { config: { access: "user" }, schema: { params: CoachingNoticeParams, response: { 200: CoachingNotice } } }, async (request) =>
    coaching.notice(authOf(request), request.params.clientCallId),
  );

  // A user sees the coaching of their own calls; an admin, of any call of the company.
  app.get(coachingPaths.callLog, { config: { access: "user" }, schema: { params: CallIdParams, response: { 200: CoachingLogReply } } }, async (request) => {
    const auth = authOf(request);
    const call = await findCompanyCall(db, auth.companyId, Number(request.params.callId));
    if (call === undefined || (auth.role !== "admin" && call.userId !== auth.userId)) throw new CallerError("not_found", "No call of yours has this id", { reason: "unknown_call" });
    return { entries: await listCallCoachingLog(db, auth.companyId, call.id) };
  });

  if (pbx === null) return;
  app.get(coachingPbxPath, { config: { access: "public" }, onRequest: pbxGuard(pbx.secret, pbx.peers) }, async (request, reply) => {
    const parsed = CoachingPbxQuery.safeParse(request.query);
    const answer = parsed.success ? await coaching.claim(parsed.data.endpoint, parsed.data.token, parsed.data.uniqueid) : ({ result: "deny" } as const);
    if (answer.result === "allow") request.log.info({ channel: answer.channel, mode: answer.mode }, "coaching: the PBX joins an admin to a call");
    return reply.type("text/plain; charset=utf-8").send(formatCoachingAnswer(answer));
  });
}
