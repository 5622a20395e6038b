import type { WebContents } from "electron";
import type { ApiHandlers, Envelope, MethodName } from "../../src-shared/api/contract";
import { earlyMethods, type EarlyAnswers, type EarlyMethod } from "../host/early-answers";
import { eventChannel } from "./channels";

/**
 * The page's first three calls (session, settings, sync state) answered from the
 * store while the core starts, as the Node host does: the window opens at once and
 * draws the dialer instead of waiting a second for knex, migrations and services.
 * Loading the core keeps the main process busy (it also serves the page's files), so
 * it starts once a page has its three answers or asks for more (`wantCore`). Once the
 * core is up, each page answered early hears the core's own session and sync state,
 * in case they moved on since.
 */
export interface EarlyIpc {
  /** The answer to `method` with `request` before the core is up, or null (the call waits for the core). */
  answer(method: MethodName, request: unknown, sender: WebContents): Envelope<unknown> | null;
  /** The core is up: no more early answers; pages that got some are told the core's state. */
  coreUp(handlers: ApiHandlers): Promise<void>;
}

export function createEarlyIpc(answers: EarlyAnswers | null, wantCore: () => void): EarlyIpc {
  let up = false;
  const answered = new Set<WebContents>();
  const asked = new Set<EarlyMethod>();
  return {
    answer(method, request, sender) {
      if (up) return null;
      if (answers === null || !isEarlyMethod(method) || !isEmptyRequest(request)) {
        wantCore();
        return null;
      }
      answered.add(sender);
      asked.add(method);
      if (asked.size === earlyMethods.length) wantCore();
      return { ok: true, value: answers[method] };
    },
    async coreUp(handlers) {
      up = true;
      if (answered.size === 0) return;
      const state = await Promise.all([handlers.getSession({}), handlers.getSyncState({})]).catch((error: unknown) => {
        // The page still hears the core's later events; only this first catch-up is lost.
        console.warn("[ipc] could not tell the early pages the core's state", error);
        return null;
      });
      if (state === null) return;
      const [session, sync] = state;
      for (const contents of answered) {
        if (contents.isDestroyed()) continue;
        contents.send(eventChannel("sessionChanged"), session);
        contents.send(eventChannel("syncChanged"), sync);
      }
      answered.clear();
    },
  };
}

const isEarlyMethod = (method: MethodName): method is EarlyMethod => (earlyMethods as readonly string[]).includes(method);

// The three calls take no arguments: anything else is the core's to parse (and refuse).
const isEmptyRequest = (request: unknown): boolean => typeof request === "object" && request !== null && !Array.isArray(request) && Object.keys(request).length === 0;
