import { createHash } from "node:crypto";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { CallerError } from "../../src-shared/errors";
import {
  GreetingDeleted,
  Greeting,
  GreetingParams,
  GreetingPatch,
  GreetingsQuery,
  GreetingsReply,
  GreetingUploadQuery,
  greetingLimits,
  VoicemailDropBody,
  VoicemailDropParams,
  VoicemailDropReply,
  voicemailPaths,
} from "../../src-shared/server-api/voicemail";
import { authOf } from "../http/access";
import type { App, RequestAuth, ServerDeps } from "../http/app";
import type { RecordingStorage } from "../recordings/recording-storage";
import { greetingFromWav } from "./greeting-audio";
import {
  countUserGreetings,
  deleteGreeting,
  findGreeting,
  insertGreeting,
  listCompanyGreetings,
  listUserGreetings,
  oldestUserGreeting,
  renameGreeting,
  setDefaultGreeting,
  toGreeting,
  type GreetingRecord,
} from "./greetings-repo";
import type { VoicemailDrops } from "./voicemail-drop";

/** Enough for a handful of scripts per user; more is a sign of a runaway client. */
const maxGreetingsPerUser = 20;

/** The caller's own greeting; another user's (or company's) is as unknown as a made-up id. */
async function ownGreeting(deps: ServerDeps, auth: RequestAuth, id: number): Promise<GreetingRecord> {
  const greeting = await findGreeting(deps.db, auth.companyId, id);
  if (greeting === undefined || greeting.userId !== auth.userId) throw new CallerError("not_found", "No greeting of yours has this id");
  return greeting;
}

/**
 * Voicemail greetings (audio in recording storage, so any server and any PBX
 * reach it without a shared disk) and the drop route. `storage` null: this
 * server keeps no audio, the greeting routes answer 404; `drops` null: no PBX.
 */
export function registerGreetingRoutes(app: App, deps: ServerDeps, storage: RecordingStorage | null, drops: VoicemailDrops | null): void {
  const { db } = deps;
  const store = (): RecordingStorage => {
    if (storage === null) throw new CallerError("not_found", "This server keeps no voicemail greetings");
    return storage;
  };

  app.get(voicemailPaths.greetings, { config: { access: "user" }, schema: { querystring: GreetingsQuery, response: { 200: GreetingsReply } } }, async (request) => {
    const auth = authOf(request);
    if (request.query.scope === "company" && auth.role !== "admin") throw new CallerError("forbidden", "Only an admin can list the company's greetings");
    const records = request.query.scope === "company" ? await listCompanyGreetings(db, auth.companyId) : await listUserGreetings(db, auth.userId);
    return { greetings: records.map(toGreeting) };
  });

  void app.register((plain, _options, done) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    // Only this scope takes WAV bodies; a larger one is refused (413) before it is read whole.
    for (const type of ["audio/wav", "audio/x-wav", "audio/wave"]) {
      scope.addContentTypeParser(type, { parseAs: "buffer", bodyLimit: greetingLimits.maxBytes }, (_request, body, parsed) => parsed(null, body));
    }
    scope.post(
      voicemailPaths.greetings,
      { config: { access: "user" }, bodyLimit: greetingLimits.maxBytes, schema: { querystring: GreetingUploadQuery, response: { 200: Greeting } } },
      async (request) => {
        const auth = authOf(request);
        const body = request.body;
        if (!Buffer.isBuffer(body)) throw new CallerError("bad_request", "Send the greeting as an audio/wav body", { reason: "greeting_unreadable" });
        const storage = store();
        const audio = greetingFromWav(body);
        if ((await countUserGreetings(db, auth.userId)) >= maxGreetingsPerUser) throw new CallerError("conflict", `You have ${maxGreetingsPerUser} greetings already: delete one first`, { reason: "greeting_limit", params: { limit: maxGreetingsPerUser } });
        const key = `c${auth.companyId}/greetings/${createHash("sha256").update(audio.wav).digest("hex")}.wav`;
        // Stored before the row: a row never names audio that is not there.
        await storage.put(key, audio.wav);
        const created = await db.transaction(async (trx) => {
          const first = (await countUserGreetings(trx, auth.userId)) === 0;
          return insertGreeting(trx, { companyId: auth.companyId, userId: auth.userId, name: request.query.name, storageKey: key, durationMs: audio.durationMs, sizeBytes: audio.wav.length, isDefault: first }, deps.now());
        });
        return toGreeting(created);
      },
    );
    done();
  });

  app.patch(voicemailPaths.greeting, { config: { access: "user" }, schema: { params: GreetingParams, body: GreetingPatch, response: { 200: Greeting } } }, async (request) => {
    const auth = authOf(request);
    const greeting = await ownGreeting(deps, auth, request.params.id);
    const { name, isDefault } = request.body;
    await db.transaction(async (trx) => {
      if (name !== undefined) await renameGreeting(trx, greeting.id, name, deps.now());
      if (isDefault === true) await setDefaultGreeting(trx, auth.userId, greeting.id, deps.now());
    });
    return toGreeting((await findGreeting(db, auth.companyId, greeting.id))!);
  });

  app.delete(voicemailPaths.greeting, { config: { access: "user" }, schema: { params: GreetingParams, response: { 200: GreetingDeleted } } }, async (request) => {
    const auth = authOf(request);
    const greeting = await ownGreeting(deps, auth, request.params.id);
    await db.transaction(async (trx) => {
      await deleteGreeting(trx, greeting.id);
      // The user keeps a default while they have any greeting.
      const next = greeting.isDefault ? await oldestUserGreeting(trx, auth.userId) : undefined;
      if (next !== undefined) await setDefaultGreeting(trx, auth.userId, next, deps.now());
    });
    return { ok: true as const };
  });

  app.get(voicemailPaths.greetingAudio, { config: { access: "user" }, schema: { params: GreetingParams } }, async (request, reply) => {
    const auth = authOf(request);
    const greeting = await findGreeting(db, auth.companyId, request.params.id);
    if (greeting === undefined || (greeting.userId !== auth.userId && auth.role !== "admin")) throw new CallerError("not_found", "No greeting of yours has this id");
    const storage = store();
    const size = await storage.size(greeting.storageKey);
    if (size === null) throw new CallerError("not_found", "The greeting's audio is missing from storage");
    return reply.header("content-type", "audio/wav").header("content-length", String(size)).header("cache-control", "private, no-store").send(storage.read(greeting.storageKey));
  });

  app.post(
    voicemailPaths.drop,
    { config: { access: "user" }, schema: { params: VoicemailDropParams, body: VoicemailDropBody, response: { 200: VoicemailDropReply } } },
    async (request) => {
      if (drops === null) throw new CallerError("not_found", "This server has no PBX connection: no voicemail can be left");
      return drops.drop(authOf(request), request.params.clientCallId, request.body.greetingId);
    },
  );
}
