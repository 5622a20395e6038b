import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { App, ServerDeps } from "../http/app";
import { pbxGuard } from "../pbx/pbx-guard";
import type { PbxServerConfig } from "../pbx/pbx-server-config";
import { formatInboundAnswer, routeInbound } from "./inbound-routing";

/** Under the authorize URL, as the dialplan knows it: [from-trunk] asks `${AUTHORIZE_URL}/inbound`. */
export const inboundRoutePath = "/pbx/authorize/inbound";

/** The dialplan sends digits and '+' only; anything else (a control character, a letter) is refused whole with 400. */
const InboundQuery = z.object({
  did: z.string().max(16).regex(/^\+?[0-9]*$/, "digits and '+' only"),
  from: z.string().max(16).regex(/^\+?[0-9]*$/, "digits and '+' only"),
  uniqueid: z.string().min(1).max(150).regex(/^[A-Za-z0-9_.-]+$/, "an Asterisk UNIQUEID"),
});

/**
 * GET /pbx/authorize/inbound: which endpoints a call on the trunk rings
 * (pbx-config/README.md, "Incoming calls"). The same guard as authorize
 * (loopback or a configured PBX peer, the shared secret). The call's row is
 * written once the answer has left; a refused DID is logged and leaves nothing.
 */
export function registerInboundPbxRoute(app: App, deps: ServerDeps, pbx: PbxServerConfig): void {
  const onRequest = pbxGuard(pbx.secret, pbx.peers);
  void app.register((plain, _options, done) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.get(inboundRoutePath, { config: { access: "public" }, logLevel: "warn", onRequest, schema: { querystring: InboundQuery } }, async (request, reply) => {
      const { did, from, uniqueid } = request.query;
      const { answer, record } = await routeInbound(deps.db, { did, from, uniqueid }, deps.now());
      if (answer.result === "deny") request.log.warn({ did, reason: answer.reason }, "inbound: a call to a number no one is assigned was refused");
      await reply.type("text/plain; charset=utf-8").send(formatInboundAnswer(answer));
      if (record !== null) {
        await deps.writer.run("recordInboundCall", { record, did, now: deps.now() }).catch((error: unknown) => request.log.error({ err: error, uniqueid }, "inbound: the call record was not written"));
      }
      return reply;
    });
    done();
  });
}
