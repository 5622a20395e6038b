import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import type { BuildDialQueueReply, DialQueue as DialQueueView, DialQueueRef, NextDialReply } from "../../../src-shared/api/areas/dialer";
import { drop } from "../../../src-shared/assert-never";
import { CallerError } from "../../../src-shared/errors";
import { dialerPaths, PrecheckReply, type PrecheckResult } from "../../../src-shared/server-api/dialer";
import type { CallOutcomes } from "../call-outcomes";
import type { EventHub } from "../event-hub";
import type { SessionService } from "../session-service";
import { findLatestQueue, insertQueue, listItems, setQueueStatus, updateItem, type ItemRow, type QueueRow } from "../store/dial-queue-repo";
import { resolveQueueRows } from "./queue-rows";

/** Verdicts asked ahead are used this long; after that the number is asked again. */
const verdictTtlMs = 30_000;
/** How many numbers one precheck asks about: the next and a few after it. */
const lookAhead = 5;

const live = (item: ItemRow) => item.state === "calling" || item.state === "wrap_up";

export interface DialQueueDeps {
  db: Knex;
  session: SessionService;
  events: EventHub;
  outcomes: CallOutcomes;
  now?: () => number;
}

/**
 * The power dialer's queue, kept in the store so it outlives the app. The
 * page dials; this decides what: `next` prechecks with the server, skips
 * what may not be called with the reason, and writes the chosen item's call
 * id before handing it out, so no item is dialed twice, even across a
 * restart. An item whose call asked for an outcome waits until the outcome is
 * decided on this device; the page then asks for the next number at once.
 * Every change runs one at a time.
 */
export class DialQueue {
  #chain: Promise<unknown> = Promise.resolve();
  readonly #verdicts = new Map<string, { result: PrecheckResult; at: number }>();
  readonly #off: () => void;
  readonly #now: () => number;
  #closed = false;

  constructor(private readonly deps: DialQueueDeps) {
    this.#now = deps.now ?? Date.now;
    this.#off = deps.outcomes.onDecided((clientCallId) => {
      void this.#serial(() => this.#finishCall(clientCallId, "outcome")).catch((error: unknown) => console.warn("[dialer] marking the outcome failed", error));
    });
  }

  view(): Promise<DialQueueView | null> {
    return this.#serial(() => this.#view());
  }

  /** After a start or a sign-in: a queue that was running comes back paused, and a call the app lost is never dialed again. */
  recover(): Promise<void> {
    return this.#serial(async () => {
      const queue = await this.#queue();
      if (queue === undefined) return;
      if (queue.status === "running") await setQueueStatus(this.deps.db, queue.id, "paused", null, this.#now());
      await this.#settleLostCalls(queue);
      await this.#publish();
    });
  }

  build(name: string, refs: readonly DialQueueRef[]): Promise<BuildDialQueueReply> {
    return this.#serial(async () => {
      const owner = await this.#owner();
      const current = await this.#queue();
      if (current !== undefined && (current.status === "running" || current.status === "paused")) throw new CallerError("conflict", "Stop the queue that is running first.");
      const { rows, problems } = await resolveQueueRows(this.deps.db, refs, owner.country);
      if (problems.length > 0) return { ok: false as const, problems };
      const now = this.#now();
      const queue: QueueRow = { id: randomUUID(), serverUrl: owner.serverUrl, userId: owner.userId, name, status: "ready", error: null, createdAt: now };
      await this.deps.db.transaction((trx) => insertQueue(trx, queue, rows, now));
      this.#verdicts.clear();
      const view = await this.#publish();
      if (view === null) throw new Error("the queue just built is gone");
      return { ok: true as const, queue: view };
    });
  }

  /** Start, or resume after a pause. */
  start(): Promise<DialQueueView | null> {
    return this.#serial(async () => {
      const queue = await this.#required();
      if (queue.status === "finished" || queue.status === "stopped") throw new CallerError("conflict", "This queue is over; build a new one.");
      await this.#settleWrapUps(queue);
      await setQueueStatus(this.deps.db, queue.id, "running", null, this.#now());
      return this.#publish();
    });
  }

  pause(): Promise<DialQueueView | null> {
    return this.#serial(async () => {
      const queue = await this.#required();
      if (queue.status === "running") await setQueueStatus(this.deps.db, queue.id, "paused", null, this.#now());
      return this.#publish();
    });
  }

  stop(): Promise<DialQueueView | null> {
    return this.#serial(async () => {
      const queue = await this.#required();
      if (queue.status !== "finished") await setQueueStatus(this.deps.db, queue.id, "stopped", null, this.#now());
      return this.#publish();
    });
  }

  /**
   * A waiting item, or the one being called while it rings: the page hangs
   * that call up and asks for no outcome; it is logged as "No answer". (An
   * answered call is not skipped but hung up, and waits for its outcome.)
   */
  skip(position: number): Promise<DialQueueView | null> {
    return this.#serial(async () => {
      const queue = await this.#required();
      const item = (await listItems(this.deps.db, queue.id)).find((i) => i.position === position);
      const ringing = item?.state === "calling" && item.clientCallId !== null;
      const change = ringing ? { state: "skipped" as const, skipReason: "by_user" as const, result: "no_answer" } : { state: "skipped" as const, skipReason: "by_user" as const };
      const skipped = await updateItem(this.deps.db, queue.id, position, change, this.#now(), ["waiting", "calling"]);
      if (!skipped || item === undefined) throw new CallerError("conflict", "That item is no longer waiting.");
      if (ringing && item.clientCallId !== null) {
        const call = { clientCallId: item.clientCallId, number: item.number, endedAt: this.#now() };
        // Outside the queue's chain: the outcome's own write and send need not hold the next dial.
        drop(this.deps.outcomes.logUnanswered(call), (error) => console.warn("[dialer] logging the skipped call failed", error));
      }
      return this.#publish();
    });
  }

  /** The next number to dial, its call id already written; null when there is none to dial now. */
  next(): Promise<NextDialReply> {
    return this.#serial(async () => {
      const queue = await this.#queue();
      if (queue === undefined || queue.status !== "running") return { dial: null, queue: await this.#view() };
      for (;;) {
        const items = await listItems(this.deps.db, queue.id);
        if (items.some(live)) return { dial: null, queue: await this.#view() };
        const waiting = items.filter((item) => item.state === "waiting");
        if (waiting.length === 0) {
          await setQueueStatus(this.deps.db, queue.id, "finished", null, this.#now());
          return { dial: null, queue: await this.#publish() };
        }
        let verdicts: PrecheckResult[];
        try {
          verdicts = await this.#verdictsFor(waiting.slice(0, lookAhead).map((item) => item.number));
        } catch (error) {
          // Nothing is dialed unchecked: the queue waits for the user (or the server) instead.
          const code = error instanceof CallerError ? error.code : "precheck_failed";
          await setQueueStatus(this.deps.db, queue.id, "paused", code, this.#now());
          return { dial: null, queue: await this.#publish() };
        }
        for (const [i, item] of waiting.slice(0, lookAhead).entries()) {
          const verdict = verdicts[i];
          if (verdict === undefined) break;
          const now = this.#now();
          if (verdict.verdict !== "ok") {
            await updateItem(this.deps.db, queue.id, item.position, { state: "skipped", skipReason: verdict.verdict, opensAt: verdict.opensAt ?? null }, now, ["waiting"]);
            continue;
          }
          const clientCallId = randomUUID();
          await updateItem(this.deps.db, queue.id, item.position, { state: "calling", clientCallId }, now, ["waiting"]);
          this.#verdicts.delete(item.number);
          const view = await this.#publish();
          this.#askAhead(waiting.slice(i + 1, i + 1 + lookAhead).map((w) => w.number));
          return { dial: { position: item.position, number: item.number, name: item.name, clientCallId }, queue: view };
        }
      }
    });
  }

  /** The page's word that the queue's call ended; with no outcome to wait for, the item is done. */
  callEnded(clientCallId: string, needsOutcome: boolean, result: string): Promise<DialQueueView | null> {
    return this.#serial(async () => {
      const queue = await this.#queue();
      const item = queue === undefined ? undefined : (await listItems(this.deps.db, queue.id)).find((i) => i.clientCallId === clientCallId);
      if (queue !== undefined && item?.state === "calling") {
        const now = this.#now();
        // An outcome decided before this word arrived has already made the item done (it is no longer calling).
        await updateItem(this.deps.db, queue.id, item.position, needsOutcome ? { state: "wrap_up" } : { state: "done", result }, now, ["calling"]);
      }
      return this.#publish();
    });
  }

  close(): void {
    this.#closed = true;
    this.#off();
  }

  async #finishCall(clientCallId: string, result: string): Promise<void> {
    const queue = await this.#queue().catch(() => undefined);
    if (queue === undefined) return;
    const item = (await listItems(this.deps.db, queue.id)).find((i) => i.clientCallId === clientCallId);
    if (item === undefined || !live(item)) return;
    await updateItem(this.deps.db, queue.id, item.position, { state: "done", result }, this.#now(), ["calling", "wrap_up"]);
    await this.#publish();
  }

  /** A call that was on when the app stopped: it waits for its outcome if one is asked for; otherwise it is over. */
  async #settleLostCalls(queue: QueueRow): Promise<void> {
    for (const item of await listItems(this.deps.db, queue.id)) {
      if (item.state !== "calling" || item.clientCallId === null) continue;
      const awaiting = await this.deps.outcomes.isAwaiting(item.clientCallId);
      await updateItem(this.deps.db, queue.id, item.position, awaiting ? { state: "wrap_up" } : { state: "done", result: "interrupted" }, this.#now(), ["calling"]);
    }
  }

  /**
   * On resume, a call still waiting for its outcome holds the queue only
   * when the company requires one (the picker asks for it); an optional one
   * is left for later, and one decided meanwhile is done.
   */
  async #settleWrapUps(queue: QueueRow): Promise<void> {
    const wrapUps = (await listItems(this.deps.db, queue.id)).filter((item) => item.state === "wrap_up" && item.clientCallId !== null);
    if (wrapUps.length === 0) return;
    const { required } = await this.deps.outcomes.pending();
    for (const item of wrapUps) {
      const awaiting = await this.deps.outcomes.isAwaiting(item.clientCallId ?? "");
      if (awaiting && required) continue;
      await updateItem(this.deps.db, queue.id, item.position, { state: "done", result: awaiting ? "no_outcome" : "outcome" }, this.#now(), ["wrap_up"]);
    }
  }

  async #verdictsFor(numbers: string[]): Promise<PrecheckResult[]> {
    const now = this.#now();
    const fresh = numbers.map((n) => this.#verdicts.get(n)).map((v) => (v !== undefined && now - v.at < verdictTtlMs ? v.result : undefined));
    if (fresh[0] !== undefined) return fresh.filter((v): v is PrecheckResult => v !== undefined).slice(0, 1);
    const reply = await this.deps.session.request(PrecheckReply, "POST", dialerPaths.precheck, { numbers });
    const at = this.#now();
    for (const result of reply.results) this.#verdicts.set(result.number, { result, at });
    return reply.results;
  }

  /** While this call is on, the next numbers are asked about, so the next dial need not wait for the server. */
  #askAhead(numbers: string[]): void {
    if (numbers.length === 0) return;
    void this.deps.session
      .request(PrecheckReply, "POST", dialerPaths.precheck, { numbers })
      .then((reply) => {
        const at = this.#now();
        for (const result of reply.results) this.#verdicts.set(result.number, { result, at });
      })
      .catch(() => undefined);
  }

  async #owner(): Promise<{ serverUrl: string; userId: number; country: string }> {
    const state = await this.deps.session.state();
    if (!state.signedIn) throw new CallerError("not_signed_in", "Sign in first.");
    return { serverUrl: state.serverUrl, userId: state.user.id, country: state.company.country };
  }

  async #queue(): Promise<QueueRow | undefined> {
    const state = await this.deps.session.state();
    if (!state.signedIn) return undefined;
    return findLatestQueue(this.deps.db, state.serverUrl, state.user.id);
  }

  async #required(): Promise<QueueRow> {
    const queue = await this.#queue();
    if (queue === undefined) throw new CallerError("not_found", "There is no call queue; build one from a list first.");
    return queue;
  }

  async #view(): Promise<DialQueueView | null> {
    const queue = await this.#queue();
    if (queue === undefined) return null;
    const items = await listItems(this.deps.db, queue.id);
    return { id: queue.id, name: queue.name, status: queue.status, error: queue.error, items, handled: items.filter((i) => i.state !== "waiting").length, total: items.length };
  }

  async #publish(): Promise<DialQueueView | null> {
    const view = await this.#view();
    if (!this.#closed) this.deps.events.emit("dialQueueChanged", { queue: view });
    return view;
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(work, work);
    this.#chain = run.catch(() => undefined);
    return run;
  }
}
