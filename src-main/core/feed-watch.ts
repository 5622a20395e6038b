import { drop } from "../../src-shared/assert-never";
import { ChangesReply } from "../../src-shared/server-api/changes";
import { serverPaths } from "../../src-shared/server-api/paths";
import type { SessionService } from "./session-service";
import type { SyncService } from "./sync-service";

export interface FeedWatchOptions {
  /** How long the server holds one request (it allows up to 25 s; the load balancer cuts at 30 s). */
  holdMs?: number;
  /** The pause after a failure or a server that answered at once with nothing. */
  restMs?: number;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Keeps one request held open on the change feed (`waitMs`), so a change made
 * through any server reaches this desktop at once; the sync then pulls it as
 * always. A server that answers at once with nothing (one that does not hold
 * requests, or is closing) or a failure makes it rest first; the periodic sync
 * stays the fallback either way.
 */
export class FeedWatch {
  readonly #session: SessionService;
  readonly #sync: SyncService;
  readonly #holdMs: number;
  readonly #restMs: number;
  #abort: AbortController | null = null;

  constructor(session: SessionService, sync: SyncService, options: FeedWatchOptions = {}) {
    this.#session = session;
    this.#sync = sync;
    this.#holdMs = options.holdMs ?? 20_000;
    this.#restMs = options.restMs ?? 15_000;
  }

  start(): void {
    if (this.#abort !== null) return;
    const abort = new AbortController();
    this.#abort = abort;
    drop(this.#run(abort.signal), (error) => console.warn("[core] change feed watch stopped", error));
  }

  stop(): void {
    this.#abort?.abort();
    this.#abort = null;
  }

  async #run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const signedIn = this.#session.signedIn;
      if (signedIn === null) return this.stop();
      const since = this.#sync.current().lastSeq;
      const startedAt = Date.now();
      let heard = false;
      try {
        const path = `${serverPaths.changes}?since=${since}&limit=1&waitMs=${this.#holdMs}`;
        heard = (await signedIn.client.request(ChangesReply, "GET", path, { token: signedIn.token, timeoutMs: this.#holdMs + 10_000, signal })).changes.length > 0;
      } catch {
        // Offline, signed out, or stopped: the periodic sync and the server link watch report it.
      }
      if (signal.aborted) return;
      if (heard) await this.#sync.syncNow();
      // A sync that could not move past the change, a failure, or no hold at all: not a tight loop.
      const moved = this.#sync.current().lastSeq > since;
      if (heard ? !moved : Date.now() - startedAt < this.#holdMs / 2) await sleep(this.#restMs, signal);
    }
  }
}
