import { randomUUID } from "node:crypto";
import type { PendingOutcome, PendingOutcomes } from "../../src-shared/api/areas/company";
import { drop } from "../../src-shared/assert-never";
import { CallerError } from "../../src-shared/errors";
import { companyAdminPaths as paths, LoggedOutcome, OutcomesReply, pathWithId } from "../../src-shared/server-api/company-admin";
import type { CoreContext } from "./core-context";
import { getSetting, setSetting } from "./store/settings-repo";
import { addPending, listPending, listQueued, notePendingFailure, queueOutcome, removePending, reopenPending } from "./store/pending-outcomes-repo";

const outcomesCacheKey = "company.outcomes";
const noOutcomes: OutcomesReply = { outcomes: [], required: false };
/** When outcomes are optional, a call nobody answered the picker for is forgotten after this long. */
const optionalPendingTtlMs = 3600_000;

const isOffline = (error: unknown): boolean => error instanceof CallerError && error.code === "server_unreachable";

/**
 * The end-of-call outcome: a finished call waits on this device for the
 * user's choice, and the choice waits until the server has it.
 */
export class CallOutcomes {
  #flushing: Promise<void> | null = null;
  #closed = false;
  readonly #off: () => void;

  constructor(private readonly ctx: CoreContext) {
    // Every successful pull of the change feed means the server is reachable: replay what waited.
    this.#off = ctx.events.on("syncChanged", (state) => {
      if (state.status === "idle" && ctx.session.signedIn) drop(this.flush(), (error) => console.warn("[outcomes] replay failed", error));
    });
  }

  /** The server's list when it answers, else the last copy seen: the picker works offline. */
  async outcomes(): Promise<OutcomesReply> {
    try {
      const fresh = await this.ctx.session.request(OutcomesReply, "GET", paths.outcomes);
      await setSetting(this.ctx.db, outcomesCacheKey, fresh);
      return fresh;
    } catch (error) {
      if (!isOffline(error)) throw error;
      return getSetting(this.ctx.db, outcomesCacheKey, OutcomesReply, noOutcomes);
    }
  }

  async noteEnded(call: Pick<PendingOutcome, "clientCallId" | "number" | "endedAt">): Promise<PendingOutcomes> {
    await addPending(this.ctx.db, await this.#userId(), call);
    // Refreshes the list and the required switch while the picker opens.
    await this.outcomes().catch(() => undefined);
    return this.#publish();
  }

  async pending(): Promise<PendingOutcomes> {
    drop(this.flush(), () => undefined);
    return this.#state();
  }

  async log(choice: { clientCallId: string; outcomeId: number; notes: string }): Promise<PendingOutcomes> {
    if (!(await queueOutcome(this.ctx.db, await this.#userId(), choice, randomUUID()))) {
      throw new CallerError("not_found", "This call is not waiting for an outcome");
    }
    await this.flush();
    return this.#state();
  }

  async skip(clientCallId: string): Promise<PendingOutcomes> {
    if (await this.#required()) throw new CallerError("conflict", "Your company asks for an outcome on every call");
    await removePending(this.ctx.db, clientCallId);
    return this.#publish();
  }

  /** Sends queued choices, oldest first; stops at the first sign the server is away. One run at a time. */
  flush(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#flushing ??= this.#send().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  /** No replay starts after this; the one running finishes first, so the store can close after it. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#off();
    await this.#flushing?.catch(() => undefined);
  }

  async #send(): Promise<void> {
    const { db, session } = this.ctx;
    if (!session.signedIn) return;
    let sent = 0;
    for (const queued of await listQueued(db, await this.#userId())) {
      try {
        const body = { outcomeId: queued.outcomeId, notes: queued.notes, idempotencyKey: queued.idempotencyKey };
        await session.request(LoggedOutcome, "POST", pathWithId(paths.callOutcome, queued.clientCallId), body);
        await removePending(db, queued.clientCallId, queued.idempotencyKey);
        sent += 1;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (isOffline(error)) {
          await notePendingFailure(db, queued.clientCallId, message);
          break;
        }
        if (error instanceof CallerError && error.code === "conflict") await reopenPending(db, queued.clientCallId, message);
        // The call never reached the server (it failed before the PBX asked): nothing to log it on.
        else if (error instanceof CallerError && error.code === "not_found") await removePending(db, queued.clientCallId);
        else await notePendingFailure(db, queued.clientCallId, message);
      }
    }
    if (sent > 0) this.ctx.syncSoon();
    await this.#publish();
  }

  async #userId(): Promise<number> {
    const state = await this.ctx.session.state();
    if (!state.signedIn) throw new CallerError("not_signed_in", "Sign in first.");
    return state.user.id;
  }

  async #required(): Promise<boolean> {
    return (await getSetting(this.ctx.db, outcomesCacheKey, OutcomesReply, noOutcomes)).required;
  }

  async #state(): Promise<PendingOutcomes> {
    const { db } = this.ctx;
    const userId = await this.#userId();
    const required = await this.#required();
    const all = await listPending(db, userId);
    if (required) return { pending: all, required };
    const stale = all.filter((p) => p.state === "awaiting" && p.endedAt < Date.now() - optionalPendingTtlMs);
    for (const p of stale) await removePending(db, p.clientCallId);
    return { pending: all.filter((p) => !stale.includes(p)), required };
  }

  async #publish(): Promise<PendingOutcomes> {
    const state = await this.#state();
    this.ctx.events.emit("pendingOutcomesChanged", state);
    return state;
  }
}
