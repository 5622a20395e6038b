import { z } from "zod";
import { SipBan, SipBansQuery, SipBansReply, operatorPaths } from "../../src-shared/server-api/operator";
import { operatorOf } from "../http/access";
import type { App, ServerDeps } from "../http/app";
import { liftSipBanById } from "../operator/sip-ban-admin";
import { listSipBans } from "../pbx/sip-bans";

const IdParams = z.object({ id: z.coerce.number().int().positive() });
const operator = { config: { access: "operator" as const } };

/** SIP bans (pbx/sip-ban-watch.ts) for the operator only: a company admin's session gets 403 here. */
export function registerOperatorSipBanRoutes(app: App, deps: ServerDeps): void {
  const { db } = deps;

  app.get(operatorPaths.sipBans, { ...operator, schema: { querystring: SipBansQuery, response: { 200: SipBansReply } } }, async (request) => ({
    bans: await listSipBans(db, { now: deps.now(), history: request.query.history === "true" }),
  }));

  app.post(operatorPaths.sipBanLift, { ...operator, schema: { params: IdParams, response: { 200: SipBan } } }, (request) =>
    liftSipBanById(db, request.params.id, { actor: operatorOf(request).email, now: deps.now() }),
  );
}
