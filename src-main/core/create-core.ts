import { join } from "node:path";
import type { ApiHandlers, DialRequest, EventName, EventOf, Settings } from "../../src-shared/api/contract";
import { Settings as SettingsSchema } from "../../src-shared/api/contract";
import { drop } from "../../src-shared/assert-never";
import { openStore } from "./store/open-store";
import { getSetting, setSetting } from "./store/settings-repo";
import { listCalls } from "./store/calls-repo";
import { createEventHub } from "./event-hub";
import { SessionService } from "./session-service";
import { FeedWatch } from "./feed-watch";
import { SyncService } from "./sync-service";
import { DialLinks } from "./dial-links";
import { ServerLinkWatch, type ServerLinkOptions } from "./server-link";
import { parseDialUri } from "../../src-shared/dial-uri/parse-dial-uri";
import { AdminUsersReply } from "../../src-shared/server-api/admin";
import { serverPaths } from "../../src-shared/server-api/paths";
import { SipConfig } from "../../src-shared/server-api/sip";
import { z } from "zod";
import type { CoreContext } from "./core-context";
import type { DesktopShell } from "./desktop/desktop-shell";
import { ensurePrivateDir, tightenTree } from "./store/private-files";
import { plainTokenProtector, type TokenProtector } from "./token-protector";
import { companyHandlers } from "./handlers/company";
import { creditsHandlers } from "./handlers/credits";
import { crmHandlers } from "./handlers/crm";
import { closeRecorder, recorderHandlers } from "./handlers/recorder";
import { desktopHandlers } from "./handlers/desktop";
import { personalHandlers } from "./handlers/personal";
import { operatorHandlers } from "./handlers/operator";
import { callContextHandlers } from "./handlers/call-context";

export interface CoreOptions {
  dataDir: string;
  /** The company server the app signs in to when the user names none. */
  serverUrl: string | null;
  shell: "electron" | "node-host";
  version: string;
  /** How often to pull the change feed while signed in, besides whenever the held feed request hears a change. */
  syncIntervalMs?: number;
  /** The shell's hands on the OS (link handler, global hotkeys, login item); none: in-window shortcuts only. */
  desktopShell?: DesktopShell;
  /** How the server session token is kept at rest; none: plain text in the store, which only the user can read. */
  tokenProtector?: TokenProtector;
  /** How the server's reachability is probed (tests shorten it). */
  serverLink?: ServerLinkOptions;
}

export interface Core {
  handlers: ApiHandlers;
  events: { on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void };
  /** A callto:/tel: link (or tray/hotkey text) for the dialer: parsed here, never dialed by itself. */
  requestDial(uri: string, source: "link" | "tray" | "hotkey"): void;
  close(): Promise<void>;
}

const defaultSettings: Settings = { language: null, defaultCountry: null };

/**
 * The desktop core: plain Node, shared by the Electron shell and the Node host.
 * Everything the renderer may do is in `handlers`; both transports call them
 * through `dispatch`, which validates every request first.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  await ensurePrivateDir(options.dataDir);
  // Recordings an older version wrote with the umask's modes; new ones are made 0600.
  for (const dir of ["recordings", "recordings-out"]) await tightenTree(join(options.dataDir, dir));
  const store = await openStore({ file: join(options.dataDir, "caller.sqlite") });
  const db = store.knex;
  const events = createEventHub();
  const session = new SessionService(db, events, options.serverUrl, options.tokenProtector ?? plainTokenProtector);
  const sync = new SyncService(db, session, events);
  await session.load();
  await sync.load();

  const readSettings = () => getSetting(db, "settings", SettingsSchema, defaultSettings);
  const backgroundSync = () => {
    drop(sync.syncNow());
  };
  const timer = setInterval(backgroundSync, options.syncIntervalMs ?? 15_000);
  timer.unref();
  // A change made anywhere arrives at once; the interval is the fallback.
  const watch = new FeedWatch(session, sync);
  events.on("sessionChanged", (state) => (state.signedIn ? watch.start() : watch.stop()));
  if (session.signedIn) watch.start();
  // Back from an outage: the session and the feed catch up at once, not at the next interval.
  const link = new ServerLinkWatch(session, events, () => drop(session.refresh().then(backgroundSync), (e) => console.warn("[core] refresh after reconnect failed", e)), options.serverLink);
  events.on("sessionChanged", (state) => (state.signedIn ? link.start() : link.stop()));
  events.on("syncChanged", (state) => {
    if (state.status === "idle" && state.lastSyncedAt !== null) link.refreshReadiness();
    else if (state.status === "offline") drop(link.retry());
  });
  events.on("connectedNumberChanged", () => link.refreshReadiness());
  if (session.signedIn) {
    link.start();
    drop(session.refresh().then(backgroundSync));
  }

  // A link that started the app arrives before the page listens: keep the latest for the page to take.
  let pendingDial: DialRequest | null = null;

  // Links are read in the user's default country, else the company's.
  const dialRequestFor = async (uri: string, source: DialRequest["source"]): Promise<DialRequest> => {
    const state = await session.state();
    const country = (await readSettings()).defaultCountry ?? (state.signedIn ? state.company.country : "US");
    const parsed = parseDialUri(uri, country);
    return parsed.ok
      ? { number: parsed.e164, source, problem: null, extension: parsed.extension }
      : { number: "", source, problem: parsed.problem, extension: null };
  };

  const ctx: CoreContext = { options, db, events, session, sync, readSettings, syncSoon: backgroundSync, dialLinks: new DialLinks() };
  const handlers: ApiHandlers = {
    getAppInfo: () => Promise.resolve({ version: options.version, shell: options.shell, platform: process.platform }),
    getSession: () => session.state(),
    signIn: async (request) => {
      const state = await session.signIn(request);
      // The operator belongs to no company: there is no change feed to pull.
      if (state.signedIn) backgroundSync();
      return state;
    },
    signOut: async () => {
      await session.signOut();
      await sync.reset();
      return { ok: true as const };
    },
    getSettings: readSettings,
    updateSettings: async (patch) => {
      const next = { ...(await readSettings()), ...patch };
      await setSetting(db, "settings", next);
      return next;
    },
    listHistory: async (request) => ({ calls: await listCalls(db, request) }),
    getSyncState: () => Promise.resolve(sync.current()),
    syncNow: () => sync.syncNow(),
    takeDialRequest: () => {
      const taken = pendingDial;
      pendingDial = null;
      return Promise.resolve(taken);
    },
    getSipConfig: () => session.request(SipConfig, "GET", serverPaths.sipConfig),
    getServerLink: () => Promise.resolve(link.current()),
    retryServerLink: () => link.retry(),
    reportCallQuality: async (body) => {
      await session.request(z.unknown(), "POST", serverPaths.callQuality, body);
      return { ok: true as const };
    },
    adminListUsers: () => session.request(AdminUsersReply, "GET", serverPaths.adminUsers),
    // Each area's handlers live in src-main/core/handlers/.
    ...creditsHandlers(ctx),
    ...personalHandlers(ctx),
    ...companyHandlers(ctx),
    ...desktopHandlers(ctx),
    ...crmHandlers(ctx),
    ...recorderHandlers(ctx),
    ...operatorHandlers(ctx),
    ...callContextHandlers(ctx),
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
    close: async () => {
      clearInterval(timer);
      watch.stop();
      link.stop();
      // Finishes the start-up repair, writes open recordings' final headers and stops their uploads.
      await closeRecorder(ctx);
      await store.close();
    },
  };
}
