import type { Knex } from "knex";
import type { PendingOutcome, PendingOutcomes } from "../../src-shared/api/areas/company";
import { drop } from "../../src-shared/assert-never";
import { CallerError } from "../../src-shared/errors";
import { companyAdminPaths as paths, OutcomesReply } from "../../src-shared/server-api/company-admin";
import type { CoreContext } from "./core-context";
import type { OutboxFlusher } from "./outbox-flusher";
import { addAwaiting, findAwaiting, listAwaiting, removeAwaiting } from "./store/awaiting-outcomes-repo";
import { dropFor, listKind, pendingFor } from "./store/outbox-repo";
import { getSetting, setSetting } from "./store/settings-repo";
import { callOutcomeKey, queueEditIn, readItem, type CallOutcomePayload } from "./sync-outbox";

const outcomesCacheKey = "company.outcomes";
const noOutcomes: OutcomesReply = { outcomes: [], required: false };
/** When outcomes are optional, a call nobody answered the picker for is forgotten after this long. */
const optionalPendingTtlMs = 3600_000;

const isOffline = (error: unknown): boolean => error instanceof CallerError && error.code === "server_unreachable";

/**
 * The end-of-call outcome: a finished call waits on this device for the
 * user's choice (`awaiting_outcomes`); the choice goes into the outbox like
 * every other edit, and is sent at once or when the server is back.
 */
export class CallOutcomes {
  #closed = false;
  readonly #off: () => void;
  /** Told as soon as a call's outcome is decided on this device (queued, or skipped), before it is sent. */
  readonly #decided = new Set<(clientCallId: string) => void>();

  constructor(
    private readonly ctx: CoreContext,
    private readonly outbox: OutboxFlusher,
  ) {
    // Sent, or refused and back in the picker: the list changed.
    this.#off = outbox.onSettled((kind) => {
      if (kind === "call-outcome" && !this.#closed) drop(this.#publish(), (error) => console.warn("[outcomes] publishing failed", error));
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

  /** Noting a call twice keeps the first, and a choice already queued for it. */
  async noteEnded(call: Pick<PendingOutcome, "clientCallId" | "number" | "endedAt">): Promise<PendingOutcomes> {
    const userId = await this.#userId();
    await this.ctx.db.transaction(async (trx) => {
      if ((await pendingFor(trx, [callOutcomeKey(call.clientCallId)])).length === 0) await addAwaiting(trx, { ...call, userId });
    });
    // Refreshes the list and the required switch while the picker opens.
    await this.outcomes().catch(() => undefined);
    return this.#publish();
  }

  async pending(): Promise<PendingOutcomes> {
    drop(this.outbox.flush(), () => undefined);
    return this.#state();
  }

  /** Queues the choice (a newer one replaces one still queued) and sends the outbox now; offline, it waits there. */
  async log(choice: { clientCallId: string; outcomeId: number; notes: string }): Promise<PendingOutcomes> {
    const userId = await this.#userId();
    const key = callOutcomeKey(choice.clientCallId);
    const queued = await this.ctx.db.transaction(async (trx) => {
      const call = (await findAwaiting(trx, userId, choice.clientCallId)) ?? (await this.#queuedFor(trx, userId, choice.clientCallId));
      if (call === undefined) return false;
      await removeAwaiting(trx, choice.clientCallId);
      await dropFor(trx, key);
      const { clientCallId, number, endedAt } = call;
      await queueEditIn(trx, { kind: "call-outcome", payload: { userId, clientCallId, number, endedAt, outcomeId: choice.outcomeId, notes: choice.notes } });
      return true;
    });
    if (!queued) throw new CallerError("not_found", "This call is not waiting for an outcome");
    this.#tellDecided(choice.clientCallId);
    await this.ctx.sync.noteQueued();
    const replay = await this.outbox.flush();
    if (replay.sent > 0) this.ctx.syncSoon();
    return this.#state();
  }

  /**
   * A call ended before anyone answered and the user wants no wrap-up (the
   * power dialer's Skip while ringing): logged with the company's "No
   * answer" outcome when it offers one, otherwise not asked about at all.
   */
  async logUnanswered(call: Pick<PendingOutcome, "clientCallId" | "number" | "endedAt">): Promise<void> {
    const userId = await this.#userId();
    const offered = await this.outcomes().catch(() => noOutcomes);
    const noAnswer = offered.outcomes.find((o) => o.key === "no_answer" && o.enabled);
    await this.ctx.db.transaction(async (trx) => {
      await removeAwaiting(trx, call.clientCallId);
      await dropFor(trx, callOutcomeKey(call.clientCallId));
      if (noAnswer !== undefined) await queueEditIn(trx, { kind: "call-outcome", payload: { userId, ...call, outcomeId: noAnswer.id, notes: "" } });
    });
    this.#tellDecided(call.clientCallId);
    await this.ctx.sync.noteQueued();
    drop(this.outbox.flush(), () => undefined);
  }

  async skip(clientCallId: string): Promise<PendingOutcomes> {
    if (await this.#required()) throw new CallerError("conflict", "Your company asks for an outcome on every call");
    await this.ctx.db.transaction(async (trx) => {
      await removeAwaiting(trx, clientCallId);
      await dropFor(trx, callOutcomeKey(clientCallId));
    });
    this.#tellDecided(clientCallId);
    await this.ctx.sync.noteQueued();
    return this.#publish();
  }

  /** The power dialer dials its next number on this, not on the server's answer. */
  onDecided(listener: (clientCallId: string) => void): () => void {
    this.#decided.add(listener);
    return () => this.#decided.delete(listener);
  }

  /** Whether the call still waits on this device for its outcome. */
  async isAwaiting(clientCallId: string): Promise<boolean> {
    return (await findAwaiting(this.ctx.db, await this.#userId(), clientCallId)) !== undefined;
  }

  #tellDecided(clientCallId: string): void {
    for (const listener of this.#decided) listener(clientCallId);
  }

  close(): void {
    this.#closed = true;
    this.#off();
  }

  async #queuedFor(db: Knex, userId: number, clientCallId: string): Promise<CallOutcomePayload | undefined> {
    for (const item of await pendingFor(db, [callOutcomeKey(clientCallId)])) {
      const edit = readItem(item);
      if (edit?.kind === "call-outcome" && edit.payload.userId === userId) return edit.payload;
    }
    return undefined;
  }

  async #userId(): Promise<number> {
    const state = await this.ctx.session.state();
    if (!state.signedIn) throw new CallerError("not_signed_in", "Sign in first.");
    return state.user.id;
  }

  async #required(): Promise<boolean> {
    return (await getSetting(this.ctx.db, outcomesCacheKey, OutcomesReply, noOutcomes)).required;
  }

  /** Calls still to answer and choices still to send, in the order the calls ended. */
  async #list(userId: number): Promise<PendingOutcome[]> {
    const awaiting: PendingOutcome[] = (await listAwaiting(this.ctx.db, userId)).map(({ clientCallId, number, endedAt, outcomeId, notes, error }) => ({
      clientCallId, number, endedAt, state: "awaiting", outcomeId, notes, error,
    }));
    const queued: PendingOutcome[] = [];
    for (const item of await listKind(this.ctx.db, "call-outcome")) {
      const edit = readItem(item);
      if (edit?.kind !== "call-outcome" || edit.payload.userId !== userId) continue;
      const { clientCallId, number, endedAt, outcomeId, notes } = edit.payload;
      queued.push({ clientCallId, number, endedAt, state: "queued", outcomeId, notes, error: item.lastError });
    }
    return [...awaiting, ...queued].sort((a, b) => a.endedAt - b.endedAt || a.clientCallId.localeCompare(b.clientCallId));
  }

  async #state(): Promise<PendingOutcomes> {
    const userId = await this.#userId();
    const required = await this.#required();
    const all = await this.#list(userId);
    if (required) return { pending: all, required };
    const stale = all.filter((p) => p.state === "awaiting" && p.endedAt < Date.now() - optionalPendingTtlMs);
    for (const p of stale) await removeAwaiting(this.ctx.db, p.clientCallId);
    return { pending: all.filter((p) => !stale.includes(p)), required };
  }

  async #publish(): Promise<PendingOutcomes> {
    const state = await this.#state();
    this.ctx.events.emit("pendingOutcomesChanged", state);
    return state;
  }
}
