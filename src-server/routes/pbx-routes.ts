import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { CallerError } from "../../src-shared/errors";
import { ClientCallId } from "../../src-shared/server-api/calls";
import { authorizeCall, formatAnswer } from "../calls/authorize";
import type { DestinationPolicy } from "../calls/destination-policy";
import type { CallAuthorizationFacts } from "../db/calls-repo";
import { findServableEndpoint } from "../db/pbx-endpoints-repo";
import type { App, ServerDeps } from "../http/app";
import { describeIssues } from "../http/error-handler";
import { laneError, type FastLane, type LaneRequest, type LaneRoute } from "../http/fast-lane";
import { HeldRequests, keeperHoldMs, keeperHoldPath } from "../pbx/autoservice-keeper";
import { pbxGuard, pbxRefusal, pbxSecretHeader } from "../pbx/pbx-guard";
import type { PbxServerConfig } from "../pbx/pbx-server-config";
import { isRealtimeFamily, realtimeRow, type RealtimeFamily } from "../pbx/realtime/realtime-objects";
import { classifyLookup, describeLookup, formatRow, parseConditions, type RealtimeLookup } from "../pbx/realtime/realtime-protocol";

export const pbxPaths = {
  authorize: "/pbx/authorize",
  realtime: "/pbx/realtime/:family/:op",
} as const;

/**
 * Nothing that could break a log line or a stored field: control and format
 * characters (CR, LF, NUL, bidi overrides…) and line/paragraph separators.
 * What the dialplan sends never has them; a request that does is refused whole.
 */
const plainText = (max: number) => z.string().max(max).regex(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u, "must not contain control characters");

const AuthorizeQuery = z.object({
  endpoint: plainText(80),
  to: plainText(64),
  uniqueid: plainText(150).min(1),
  clientCallId: z.string().max(64).optional(),
  /** X-Caller-Record filtered to 0/1 by the dialplan; empty or absent: the user's default, on. */
  record: z.string().max(8).optional(),
});

/** "querystring.uniqueid: …", worded as Fastify's own schema errors (src-server/http/error-handler.ts). */
function describeQueryIssues(error: z.ZodError): string {
  return describeIssues("querystring", error.issues.map((issue) => ({ instancePath: `/${issue.path.join("/")}`, message: issue.message })));
}

/**
 * GET /pbx/authorize, whatever carried it (the fast lane over a socket,
 * Fastify for inject): the guard, the query's checks, the decision, and the
 * call's record written once the answer has left.
 */
function authorizeRoute(deps: ServerDeps, app: App, pbx: PbxServerConfig, policy: DestinationPolicy): LaneRoute {
  const refusal = pbxRefusal(pbx.secret, pbx.peers);
  // Answered, record not yet committed: a repeat of the uniqueid meanwhile is checked against these.
  const unsaved = new Map<string, CallAuthorizationFacts>();
  return async ({ query, headers, remoteAddress }) => {
    const refused = refusal(remoteAddress, headers[pbxSecretHeader]);
    if (refused !== null) return laneError(refused, app.log);
    const parsed = AuthorizeQuery.safeParse(query);
    if (!parsed.success) return laneError(new CallerError("bad_request", describeQueryIssues(parsed.error)), app.log);
    const { endpoint, to, uniqueid, clientCallId, record: recordChoice } = parsed.data;
    const parsedClientId = ClientCallId.safeParse(clientCallId);
    const { answer, record, mismatchedRepeat } = await authorizeCall(
      deps.db,
      deps.credits,
      { endpoint, to, uniqueid, clientCallId: parsedClientId.success ? parsedClientId.data : null, wantsRecording: recordChoice !== "0" },
      deps.now(),
      policy,
      unsaved,
    );
    if (mismatchedRepeat) app.log.warn({ uniqueid }, "authorize: a uniqueid already authorized asked again for another caller or number; refused");
    if (record !== null) unsaved.set(uniqueid, record.fields);
    return {
      status: 200,
      contentType: "text/plain; charset=utf-8",
      body: formatAnswer(answer),
      // The dialplan waits on the answer with the caller's INVITE: the record is written right after it leaves.
      ...(record === null
        ? {}
        : {
            after: () =>
              deps.writer
                .run("recordAuthorization", { record, now: deps.now() })
                // Committed: the hold counts in the database now (a failed write keeps it here until its call's limit).
                .then(() => {
                  if (record.hold !== null) deps.credits.holds.settle(record.hold);
                })
                .catch((error: unknown) => app.log.error({ err: error, uniqueid }, "authorize: the call record was not written"))
                .finally(() => {
                  if (unsaved.get(uniqueid) === record.fields) unsaved.delete(uniqueid);
                }),
          }),
    };
  };
}

const RealtimeParams = z.object({ family: z.string().max(32), op: z.string().max(16) });

function lookupOf(op: string, body: string): RealtimeLookup {
  try {
    return classifyLookup(op, parseConditions(body));
  } catch {
    return { kind: "other" };
  }
}

/**
 * The lines of a realtime answer, or null for a look-up refused (logged, answered
 * empty). Users' objects one at a time by exact id only: never a list across companies,
 * never every password (ps_auths) at once. Asterisk's lists of every endpoint and aor
 * at start only feed its status displays and the qualify of contacts kept from before
 * a restart, which their phones renew by registering (pbx-config/README.md).
 */
async function realtimeLines(deps: ServerDeps, family: RealtimeFamily, lookup: RealtimeLookup): Promise<string[] | null> {
  if (lookup.kind !== "by-id") return null;
  const endpoint = await findServableEndpoint(deps.db, lookup.id);
  return endpoint === undefined ? [] : [formatRow(realtimeRow(family, endpoint))];
}

/**
 * The routes Asterisk calls (loopback, shared secret): the dialplan's
 * authorize, and res_config_curl's realtime lookups of the users' PJSIP
 * endpoints. Every lookup reads the database, so a revoked user is refused by
 * the next SIP request. Registered only when a PBX is configured.
 */
export function registerPbxRoutes(app: App, deps: ServerDeps, pbx: PbxServerConfig, policy: DestinationPolicy, lane: FastLane): void {
  const onRequest = pbxGuard(pbx.secret, pbx.peers);
  // One per SIP request and per call: the records they leave are the log; two lines per request would only slow the answer.
  const logLevel = "warn";

  // Served by the fast lane over sockets (src-server/http/fast-lane.ts); this registration declares it and answers inject().
  const authorize = authorizeRoute(deps, app, pbx, policy);
  lane.add(pbxPaths.authorize, authorize);
  app.get(pbxPaths.authorize, { config: { access: "public" }, logLevel }, async (request, reply) => {
    const answer = await authorize({ query: request.query as LaneRequest["query"], headers: request.headers, remoteAddress: request.socket.remoteAddress });
    await reply.code(answer.status).type(answer.contentType).send(answer.body);
    await answer.after?.();
    return reply;
  });

  // The PBX's autoservice keeper (src-server/pbx/autoservice-keeper.ts): held open, answered "held".
  const held = new HeldRequests();
  app.addHook("preClose", (done) => {
    held.releaseAll();
    done();
  });
  app.get(keeperHoldPath, { config: { access: "public" }, logLevel, onRequest }, async (_request, reply) => {
    await held.hold(keeperHoldMs);
    // Not kept alive: an answer given while the server closes must not leave an idle socket holding it open.
    return reply.header("connection", "close").type("text/plain; charset=utf-8").send("held");
  });

  void app.register((plain, _options, done) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    // res_config_curl posts url-encoded fields; only these routes take that content type.
    scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 16 * 1024 }, (_request, body, parsed) => {
      parsed(null, body);
    });
    scope.post(pbxPaths.realtime, { config: { access: "public" }, logLevel, onRequest, schema: { params: RealtimeParams } }, async (request, reply) => {
      const { family, op } = request.params;
      if (!isRealtimeFamily(family)) throw new CallerError("not_found", `No realtime family ${family}`);
      const body = typeof request.body === "string" ? request.body : "";
      const lines = op === "single" || op === "multi" ? await realtimeLines(deps, family, lookupOf(op, body)) : null;
      // Anything else (other conditions, wildcards, writes: the server is the one source of truth) gets nothing.
      if (lines === null) request.log.warn({ lookup: describeLookup(family, op, body) }, "realtime: look-up refused (users' objects are served one by exact id)");
      const text = lines === null ? "" : op === "single" ? (lines[0] ?? "") : lines.map((line) => `${line}\n`).join("");
      return reply.type("text/plain; charset=utf-8").send(text);
    });
    done();
  });
}
