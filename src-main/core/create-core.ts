import { join } from "node:path";
import type { ApiHandlers, DialRequest, EventName, EventOf, SessionState, Settings } from "../../src-shared/api/contract";
import { Settings as SettingsSchema } from "../../src-shared/api/contract";
import { drop } from "../../src-shared/assert-never";
import { FeedWatch } from "./feed-watch";
import { parseDialUri } from "../../src-shared/dial-uri/parse-dial-uri";
import { CallOutcomes } from "./call-outcomes";
import type { CoreContext } from "./core-context";
import type { CoreOptions } from "./core-options";
import { CallingMethods } from "./calling-method";
import { DesktopService } from "./desktop/desktop-service";
import { windowOnlyShell } from "./desktop/desktop-shell";
import { DesktopRecorder } from "./desktop-recording/desktop-recorder";
import { uploadSessionOf } from "./desktop-recording/upload-session";
import { DialLinks } from "./dial-links";
import { createEventHub } from "./event-hub";
import { appHandlers } from "./handlers/app";
import { callContextHandlers } from "./handlers/call-context";
import { companyHandlers } from "./handlers/company";
import { creditsHandlers } from "./handlers/credits";
import { crmHandlers } from "./handlers/crm";
import { desktopHandlers } from "./handlers/desktop";
import { operatorHandlers } from "./handlers/operator";
import { personalHandlers } from "./handlers/personal";
import { recorderHandlers } from "./handlers/recorder";
import { recordingsHandlers } from "./handlers/recordings";
import { voicemailHandlers } from "./handlers/voicemail";
import { coachingHandlers } from "./handlers/coaching";
import { transferHandlers } from "./handlers/transfer";
import { dialerHandlers } from "./handlers/dialer";
import { DialQueue } from "./dialer/dial-queue";
import { inboundHandlers } from "./handlers/inbound";
import { voicemailEmailHandlers } from "./handlers/voicemail-email";
import { Greetings } from "./voicemail/greetings";
import { RecordingCache } from "./recording-cache/recording-cache";
import { ServerLinkWatch } from "./server-link";
import { SessionService } from "./session-service";
import { OutboxFlusher } from "./outbox-flusher";
import { openStore } from "./store/open-store";
import { ensurePrivateDir, tightenTree } from "./store/private-files";
import { getSetting } from "./store/settings-repo";
import { SyncService } from "./sync-service";
import { plainTokenProtector } from "./token-protector";
import { VerificationFollower } from "./verification-follower";

export interface Core {
  handlers: ApiHandlers;
  events: { on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void };
  /** A callto:/tel: link (or tray/hotkey text) for the dialer: parsed here, never dialed by itself. */
  requestDial(uri: string, source: "link" | "tray" | "hotkey"): void;
  close(): Promise<void>;
}

const defaultSettings: Settings = { language: null, defaultCountry: null };

/** Something the core started and must stop before the store closes. */
interface Owned {
  name: string;
  close(): Promise<void> | void;
}

/**
 * The desktop core: plain Node, shared by the Electron shell and the Node host.
 * Everything the renderer may do is in `handlers`; both transports call them
 * through `dispatch`, which validates every request first.
 *
 * This is the composition root: every long-lived service is built here, once,
 * handed to the handlers that map requests onto it, and closed by `close()` in
 * the reverse order of building (a service may use those built before it until it stops).
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  await ensurePrivateDir(options.dataDir);
  // Recordings an older version wrote with the umask's modes; new ones are made 0600.
  for (const dir of ["recordings", "recordings-out"]) await tightenTree(join(options.dataDir, dir));
  const store = await openStore({ file: join(options.dataDir, "caller.sqlite") });
  const db = store.knex;
  const owned: Owned[] = [];
  const own = <T>(name: string, service: T, close: (service: T) => Promise<void> | void): T => {
    owned.push({ name, close: () => close(service) });
    return service;
  };

  const events = createEventHub();
  const session = new SessionService(db, events, options.serverUrl, options.tokenProtector ?? plainTokenProtector);
  const outbox = own("outbox flusher", new OutboxFlusher(db, session), (o) => o.close());
  const sync = own("sync", new SyncService(db, session, events, outbox), (s) => s.close());
  await session.load();
  await sync.load();

  const readSettings = () => getSetting(db, "settings", SettingsSchema, defaultSettings);
  const backgroundSync = () => {
    drop(sync.syncNow());
  };
  const timer = own("background sync", setInterval(backgroundSync, options.syncIntervalMs ?? 15_000), clearInterval);
  timer.unref();
  // A change made anywhere arrives at once; the interval is the fallback.
  const watch = own("feed watch", new FeedWatch(session, sync), (w) => w.stop());
  events.on("sessionChanged", (state) => (state.signedIn ? watch.start() : watch.stop()));
  if (session.signedIn) watch.start();
  // Back from an outage: the session and the feed catch up at once, not at the next interval.
  const onBack = () => drop(session.refresh().then(backgroundSync), (e) => console.warn("[core] refresh after reconnect failed", e));
  const link = own("server link", new ServerLinkWatch(session, events, onBack, options.serverLink), (l) => l.stop());
  events.on("sessionChanged", (state) => (state.signedIn ? link.start() : link.stop()));
  events.on("syncChanged", (state) => {
    if (state.status === "idle" && state.lastSyncedAt !== null) link.refreshReadiness();
    else if (state.status === "offline") drop(link.retry());
  });
  events.on("connectedNumberChanged", () => link.refreshReadiness());

  const ctx: CoreContext = { options, db, events, session, sync, readSettings, syncSoon: backgroundSync, dialLinks: new DialLinks() };
  const outcomes = own("call outcomes", new CallOutcomes(ctx, outbox), (o) => o.close());
  const recordingCache = own("recording cache", new RecordingCache(db, join(options.dataDir, "recordings")), (c) => c.close());
  // Signing out (or a session the server ended) leaves nothing of the user's on disk, like the mirror.
  events.on("sessionChanged", (state) => {
    if (!state.signedIn) drop(recordingCache.clear());
  });
  const follower = own("verification follower", new VerificationFollower(ctx), (f) => f.close());
  // Its close finishes the start-up repair, writes open recordings' final headers and stops their uploads.
  const recorder = own(
    "desktop recorder",
    new DesktopRecorder({
      db,
      dir: join(options.dataDir, "recordings-out"),
      session: uploadSessionOf(db, session),
      emit: (upload) => events.emit("recordingUploadChanged", upload),
      log: (message, error) => console.error(`[core] ${message}`, error),
    }),
    (r) => r.close(),
  );
  drop(recorder.recover(), (error) => console.error("[core] desktop recordings: recovery failed", error));
  // Signed in (again): recordings waiting for this user can go.
  events.on("sessionChanged", () => recorder.kick());
  const callingMethods = new CallingMethods(ctx.db);
  const desktop = new DesktopService(ctx, options.desktopShell ?? windowOnlyShell, callingMethods);
  const greetings = own("voicemail greetings", new Greetings(db, session, events), (g) => g.close());
  events.on("sessionChanged", (state) => {
    if (!state.signedIn) drop(greetings.forget(), (error) => console.error("[core] forgetting the greetings failed", error));
  });

  const dialQueue = own("dial queue", new DialQueue({ db, session, events, outcomes }), (q) => q.close());
  // Once per signed-in user (a session refresh is not a new start): a queue left running comes back paused.
  let queueOwner: string | null = null;
  const recoverQueue = (state: SessionState) => {
    const owner = state.signedIn ? `${state.serverUrl} ${state.user.id}` : null;
    if (owner === queueOwner) return;
    queueOwner = owner;
    if (owner !== null) drop(dialQueue.recover(), (error) => console.error("[core] the call queue could not be recovered", error));
  };
  events.on("sessionChanged", recoverQueue);
  recoverQueue(await session.state());

  if (session.signedIn) {
    link.start();
    drop(session.refresh().then(backgroundSync));
  }

  // A link that started the app arrives before the page listens: keep the latest for the page to take.
  let pendingDial: DialRequest | null = null;
  const takeDialRequest = () => {
    const taken = pendingDial;
    pendingDial = null;
    return taken;
  };

  // Links are read in the user's default country, else the company's.
  const dialRequestFor = async (uri: string, source: DialRequest["source"]): Promise<DialRequest> => {
    const state = await session.state();
    const country = (await readSettings()).defaultCountry ?? (state.signedIn ? state.company.country : "US");
    const parsed = parseDialUri(uri, country);
    return parsed.ok
      ? { number: parsed.e164, source, problem: null, extension: parsed.extension }
      : { number: "", source, problem: parsed.problem, extension: null };
  };

  // Every method the renderer may call, by area (src-main/core/handlers/); each maps requests onto the services above.
  const handlers: ApiHandlers = {
    ...appHandlers(ctx, link, takeDialRequest),
    ...creditsHandlers(ctx),
    ...personalHandlers(ctx, follower, callingMethods),
    ...companyHandlers(ctx, outcomes),
    ...recordingsHandlers(ctx, recordingCache),
    ...recorderHandlers(recorder),
    ...desktopHandlers(desktop),
    ...crmHandlers(ctx),
    ...operatorHandlers(ctx),
    ...callContextHandlers(ctx),
    ...voicemailHandlers(ctx, greetings),
    ...coachingHandlers(ctx),
    ...transferHandlers(ctx),
    ...dialerHandlers(ctx, dialQueue),
    ...inboundHandlers(ctx),
    ...voicemailEmailHandlers(ctx),
  };

  let closing: Promise<void> | null = null;
  const close = async () => {
    for (const service of [...owned].reverse()) {
      try {
        await service.close();
      } catch (error) {
        console.error(`[core] closing the ${service.name} failed`, error);
      }
    }
    await store.close();
  };

  return {
    handlers,
    events,
    requestDial: (uri, source) => {
      drop(
        dialRequestFor(uri, source).then((request) => {
          pendingDial = request;
          events.emit("dialRequested", request);
        }),
      );
    },
    close: () => (closing ??= close()),
  };
}
