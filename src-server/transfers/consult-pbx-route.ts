import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { CallChannels } from "../calls/call-channels";
import type { App, ServerDeps } from "../http/app";
import { pbxGuard } from "../pbx/pbx-guard";
import type { PbxServerConfig } from "../pbx/pbx-server-config";
import { allowConsult, formatConsultAnswer } from "./teammate-consult";

/** Under the authorize URL, as the dialplan knows it: [transfer-consult] asks `${AUTHORIZE_URL}/consult`. */
export const consultRoutePath = "/pbx/authorize/consult";

const clientId = z.string().regex(/^[0-9a-f-]{36}$/, "a client call id");
/** The dialplan filters every value first; anything else is refused whole with 400. */
const ConsultQuery = z.object({
  endpoint: z.string().min(1).max(80).regex(/^[0-9a-zA-Z_.-]+$/, "an endpoint id"),
  toUserId: z.coerce.number().int().positive().max(9_999_999_999),
  uniqueid: z.string().min(1).max(150).regex(/^[A-Za-z0-9_.-]+$/, "an Asterisk UNIQUEID"),
  clientCallId: clientId,
  forCallId: clientId,
});

/**
 * GET /pbx/authorize/consult: whether the user's app may ring a teammate to
 * consult before an attended transfer, and which endpoint (pbx-config/README.md,
 * "Transfer"). The same guard as authorize: loopback or a configured PBX peer, the shared secret.
 */
export function registerConsultPbxRoute(app: App, deps: ServerDeps, pbx: PbxServerConfig, channels: CallChannels | null): void {
  const onRequest = pbxGuard(pbx.secret, pbx.peers);
  void app.register((plain, _options, done) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.get(consultRoutePath, { config: { access: "public" }, logLevel: "warn", onRequest, schema: { querystring: ConsultQuery } }, async (request, reply) => {
      const answer = await allowConsult(deps.db, channels, request.query, deps.now());
      if (answer.result === "deny") request.log.warn({ endpoint: request.query.endpoint, toUserId: request.query.toUserId, reason: answer.reason }, "transfer: a consultation with a teammate was refused");
      return reply.type("text/plain; charset=utf-8").send(formatConsultAnswer(answer));
    });
    done();
  });
}
