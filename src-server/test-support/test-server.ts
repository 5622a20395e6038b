import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Knex } from "knex";
import { hashSessionToken, newSessionToken, sessionTtlMs } from "../auth/session-token";
import { buildServer } from "../build-server";
import { CallChannels } from "../calls/call-channels";
import { CallHangups } from "../calls/call-hangups";
import { EndpointCache } from "../pbx/endpoint-cache";
import { VoicemailDrops } from "../voicemail/voicemail-drop";
import { Coaching } from "../coaching/coaching-service";
import { createSession } from "../db/sessions-repo";
import { findUserByEmail } from "../db/users-repo";
import { openDatabase } from "../db/open-database";
import type { App } from "../http/app";
import type { DestinationPolicy } from "../calls/destination-policy";
import type { PbxServerConfig } from "../pbx/pbx-server-config";
import { demoCredentials, seedDemo } from "../seed/demo";
import { openSqliteTestDb } from "./test-db";
import type { DurableWriter } from "../db/writer/durable-writer";
import type { RecordingsWiring } from "../routes/recordings-routes";
import { importWorker, inlineImportParser } from "../imports/import-parser";
import { CreditsRuntime } from "../credits/credits-runtime";
import { RaterCache } from "../credits/rater-cache";
import type { Mailer } from "../mail/mailer";
import { importWorkerScript } from "../imports/import-worker-script";

export interface Credentials {
  email: string;
  password: string;
}

export interface TestServer {
  app: App;
  db: Knex;
  /** The server's credits (tariff, trial cap), built here as main.ts builds them and passed in. */
  credits: CreditsRuntime;
  /** The server's clock; move it to expire sessions (ignored with `realClock`). */
  clock: { now: number };
  /** http://127.0.0.1:<port> when started with `listen`; real HTTP for PBX-facing routes. */
  url: string | null;
  /** Through POST /api/auth/sign-in (one scrypt). */
  signIn(credentials: Credentials): Promise<string>;
  /** With `callHangups`: what ends a revoked user's calls, not yet attached to an AMI connection. */
  hangups: CallHangups | null;
  /** With `callHangups`: what drops a retired endpoint from the PBX's cache, not yet attached to an AMI connection. */
  endpointCache: EndpointCache | null;
  /** With `voicemailDrops`: the calls' live channels, not yet attached to an AMI connection. */
  channels: CallChannels | null;
  /** Coaching, not yet attached to an AMI connection (what notes an admin's leg ending). */
  coaching: Coaching;
  /** A session row made directly, for tests about other routes: no scrypt, same token check. */
  sessionFor(credentials: Credentials): Promise<string>;
  close(): Promise<void>;
}

export const bearer = (token: string): { authorization: string } => ({ authorization: `Bearer ${token}` });

const seededAt = Date.UTC(2026, 10, 24, 3, 0, 0);
let template: Promise<Buffer> | undefined;

/** Seeding hashes three passwords (~250 ms): do it once per test file and keep the checkpointed file's bytes. */
function seededTemplate(): Promise<Buffer> {
  template ??= (async () => {
    const seeded = await openSqliteTestDb();
    await seedDemo(seeded.db, seededAt);
    await seeded.db.raw("pragma wal_checkpoint(TRUNCATE)");
    const bytes = await readFile(seeded.file);
    await seeded.close();
    return bytes;
  })();
  return template;
}

async function openSeededCopy(): Promise<{ db: Knex; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "caller-server-"));
  const file = join(dir, "server.sqlite");
  await writeFile(file, await seededTemplate());
  const db = await openDatabase({ kind: "sqlite", file });
  return {
    db,
    async close() {
      await db.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A server on a seeded database: a fresh SQLite copy unless `db` is given (then it is seeded in place).
 * `beforeReady` may add routes before the server is sealed.
 */
export interface TestServerOptions {
  db?: Knex;
  beforeReady?: (app: App) => void;
  /** Calls enabled, for this PBX. */
  pbx?: PbxServerConfig;
  destinationPolicy?: DestinationPolicy;
  /** Listen on a free loopback port (PBX routes are checked against the peer address). */
  listen?: boolean;
  /** Date.now instead of the movable clock: call records are compared with Asterisk's own times. */
  realClock?: boolean;
  /** As the shipped server (a worker thread) rather than the default writer on this thread; the caller closes it. */
  writer?: DurableWriter;
  /** Where the server's log lines (JSON, warn and up) go; default: no logging. */
  logLines?: string[];
  /** Recording storage (and with `pbx`, the shipper's PUT /pbx/recordings); absent: no recordings served. */
  recordings?: RecordingsWiring;
  /** Imported files parsed on the import worker thread, as in the shipped server (default: on this thread). */
  importWorker?: boolean;
  /** Revoking Caller hangs up the user's calls and drops their cached endpoint through AMI (`TestServer.hangups`, `.endpointCache`, attached by the PBX rig). */
  callHangups?: boolean;
  /** Voicemail drops act on calls' channels heard over AMI (`TestServer.channels`, attached by the PBX rig). */
  voicemailDrops?: boolean;
  /** Low-balance warnings are mailed through it. */
  mailer?: Mailer;
  /** The trial's per-call cap (default 10 minutes). */
  trialCapSeconds?: number;
  /**
   * A writer made with the server's credits (effects applied to them), e.g. a
   * group commit on this thread; instead of `writer`. The caller closes it.
   */
  writerFor?: (credits: CreditsRuntime) => DurableWriter;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const copy = options.db === undefined ? await openSeededCopy() : null;
  const db = options.db ?? copy!.db;
  if (copy === null) await seedDemo(db, seededAt);
  const clock = { now: seededAt };
  const now = options.realClock === true ? Date.now : () => clock.now;
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  const hangups = options.callHangups === true ? new CallHangups({ db, log: quiet }) : null;
  const endpointCache = options.callHangups === true ? new EndpointCache({ log: quiet }) : null;
  const channels = options.voicemailDrops === true ? new CallChannels(now) : null;
  const imports = options.importWorker === true ? importWorker(await importWorkerScript()) : null;
  // The thread is started, and kept (a parsed file holds it), before `ready`: on a loaded machine its start alone can outlast Fastify's 10 s for the onReady hooks.
  const warm = imports === null ? null : await imports.parseTariff("");
  const parser = imports ?? inlineImportParser();
  const credits = new CreditsRuntime({
    db,
    raters: new RaterCache((from, versionId) => parser.loadRater(from, versionId)),
    ...(options.trialCapSeconds === undefined ? {} : { trialCapSeconds: options.trialCapSeconds }),
    mailer: options.mailer ?? null,
  });
  const writer = options.writer ?? options.writerFor?.(credits);
  const coaching = new Coaching({ db, channels, now });
  const app = buildServer({
    db,
    now,
    credits,
    imports: parser,
    ...(hangups === null ? {} : { hangups }),
    ...(endpointCache === null ? {} : { endpointCache }),
    coaching,
    ...(channels === null ? {} : { voicemailDrops: new VoicemailDrops({ db, channels, now, log: quiet }), callChannels: channels }),
    ...(options.pbx === undefined ? {} : { pbx: options.pbx }),
    ...(options.destinationPolicy === undefined ? {} : { destinationPolicy: options.destinationPolicy }),
    ...(writer === undefined ? {} : { writer }),
    ...(options.logLines === undefined ? {} : { logger: { level: "warn", stream: { write: (line: string) => void options.logLines?.push(line) } } }),
    ...(options.recordings === undefined ? {} : { recordings: options.recordings }),
  });
  options.beforeReady?.(app);
  try {
    await app.ready();
  } finally {
    warm?.drop();
  }
  let url: string | null = null;
  if (options.listen === true) {
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  }
  return {
    app,
    db,
    credits,
    clock,
    url,
    hangups,
    endpointCache,
    channels,
    coaching,
    async signIn(credentials) {
      const reply = await app.inject({ method: "POST", url: "/api/auth/sign-in", payload: credentials });
      if (reply.statusCode !== 200) throw new Error(`sign-in as ${credentials.email}: ${reply.statusCode} ${reply.body}`);
      return reply.json<{ token: string }>().token;
    },
    async sessionFor(credentials) {
      const user = await findUserByEmail(db, credentials.email);
      if (user === undefined) throw new Error(`no user ${credentials.email}`);
      const token = newSessionToken();
      await createSession(db, { tokenHash: hashSessionToken(token), userId: user.id, createdAt: now(), expiresAt: now() + sessionTtlMs });
      return token;
    },
    async close() {
      endpointCache?.close();
      await app.close();
      await imports?.close();
      await copy?.close();
    },
  };
}

export { demoCredentials };
