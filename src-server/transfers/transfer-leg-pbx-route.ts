import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { App, ServerDeps } from "../http/app";
import { pbxGuard } from "../pbx/pbx-guard";
import type { PbxServerConfig } from "../pbx/pbx-server-config";
import { allowInboundTeammateLeg } from "./inbound-teammate-leg";

/** Under the authorize URL, as the dialplan knows it: [transfer-user] asks `${AUTHORIZE_URL}/transfer-leg`. */
export const transferLegRoutePath = "/pbx/authorize/transfer-leg";

/** The dialplan filters every value first; anything else is refused whole with 400. */
const LegQuery = z.object({
  legId: z.string().regex(/^[0-9a-f-]{36}$/, "a client call id"),
  uniqueid: z.string().min(1).max(150).regex(/^[A-Za-z0-9_.-]+$/, "an Asterisk UNIQUEID"),
});

/**
 * GET /pbx/authorize/transfer-leg: an incoming call's blind transfer to a
 * teammate runs in a Local channel whose uniqueid only Asterisk knows; it
 * names it here before ringing (pbx-config/README.md, "An incoming call").
 * The same guard as authorize: loopback or a configured PBX peer, the shared secret.
 */
export function registerTransferLegPbxRoute(app: App, deps: ServerDeps, pbx: PbxServerConfig): void {
  const onRequest = pbxGuard(pbx.secret, pbx.peers);
  void app.register((plain, _options, done) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.get(transferLegRoutePath, { config: { access: "public" }, logLevel: "warn", onRequest, schema: { querystring: LegQuery } }, async (request, reply) => {
      const result = await allowInboundTeammateLeg(deps.db, request.query, deps.now());
      if (result === "deny") request.log.warn({ legId: request.query.legId }, "transfer: an incoming call's leg to a teammate was refused");
      return reply.type("text/plain; charset=utf-8").send(`result=${result}`);
    });
    done();
  });
}
