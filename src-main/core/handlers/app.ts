import { z } from "zod";
import type { ApiHandlers, DialRequest } from "../../../src-shared/api/contract";
import { AdminUsersReply } from "../../../src-shared/server-api/admin";
import { serverPaths } from "../../../src-shared/server-api/paths";
import { SipConfig } from "../../../src-shared/server-api/sip";
import type { CoreContext } from "../core-context";
import type { ServerLinkWatch } from "../server-link";
import { setSetting } from "../store/settings-repo";
import { listCalls } from "../store/calls-repo";

type AppMethod =
  | "getAppInfo"
  | "getSession"
  | "signIn"
  | "signOut"
  | "getSettings"
  | "updateSettings"
  | "listHistory"
  | "getSyncState"
  | "syncNow"
  | "takeDialRequest"
  | "getSipConfig"
  | "getServerLink"
  | "retryServerLink"
  | "reportCallQuality"
  | "adminListUsers";

/** The app itself: session, settings, sync, the server link, history and a link waiting to be dialed. */
export function appHandlers(ctx: CoreContext, link: ServerLinkWatch, takeDialRequest: () => DialRequest | null): Pick<ApiHandlers, AppMethod> {
  const { options, db, session, sync, readSettings } = ctx;
  return {
    getAppInfo: () => Promise.resolve({ version: options.version, shell: options.shell, platform: process.platform }),
    getSession: () => session.state(),
    signIn: async (request) => {
      const state = await session.signIn(request);
      // The operator belongs to no company: there is no change feed to pull.
      if (state.signedIn) ctx.syncSoon();
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
    takeDialRequest: () => Promise.resolve(takeDialRequest()),
    getSipConfig: () => session.request(SipConfig, "GET", serverPaths.sipConfig),
    getServerLink: () => Promise.resolve(link.current()),
    retryServerLink: () => link.retry(),
    reportCallQuality: async (body) => {
      await session.request(z.unknown(), "POST", serverPaths.callQuality, body);
      return { ok: true as const };
    },
    adminListUsers: () => session.request(AdminUsersReply, "GET", serverPaths.adminUsers),
  };
}
