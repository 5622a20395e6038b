import type { Knex } from "knex";
import type { SyncState } from "../../src-shared/api/contract";
import { ChangesReply, type Change } from "../../src-shared/server-api/changes";
import { drop } from "../../src-shared/assert-never";
import { CallerError, errorToText } from "../../src-shared/errors";
import { serverPaths } from "../../src-shared/server-api/paths";
import { getSyncState, saveSyncState } from "./store/sync-repo";
import { applyChanges } from "./apply-change";
import { noticesFromFeed } from "./desktop/feed-notices";
import { notifyUser } from "./desktop/notify";
import { clearCalls } from "./store/calls-repo";
import { clearCrm } from "./store/crm-repo";
import { countOutbox } from "./store/outbox-repo";
import { audienceOf, forgetAudience, matchAudience } from "./sync-audience";
import type { OutboxFlusher } from "./outbox-flusher";
import { reapplyQueued } from "./sync-outbox";
import type { EventHub } from "./event-hub";
import type { SessionService } from "./session-service";

const pageSize = 1000;
/** Progress while pulling is published at most this often (each publish makes open lists re-read). */
const progressEveryMs = 1000;
const mirroredEntities = new Set(["call", "person"]);

const isOffline = (error: unknown): boolean => error instanceof CallerError && error.code === "server_unreachable";
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Keeps the local store in step with the server: first sends the edits made
 * on this device (the outbox, in order), then pulls the change feed. Each page
 * is applied in one transaction together with the new `last_seq`, so a crash
 * or a dropped connection resumes exactly where it stopped.
 */
export class SyncService {
  private state: SyncState = { status: "idle", lastSyncedAt: null, lastSeq: 0, error: null, progress: null, pendingEdits: 0, refusedEdits: [] };
  private running: Promise<SyncState> | null = null;
  private again = false;
  private closed = false;
  private lastPublished = 0;

  constructor(
    private readonly db: Knex,
    private readonly session: SessionService,
    private readonly events: EventHub,
    private readonly outbox: OutboxFlusher,
  ) {
    outbox.onSettled(() => drop(this.noteQueued(), (e) => console.warn("[sync] counting the outbox failed", e)));
  }

  async load(): Promise<void> {
    const saved = await getSyncState(this.db);
    this.state = { ...this.state, lastSeq: saved.lastSeq, lastSyncedAt: saved.lastSyncedAt, pendingEdits: await countOutbox(this.db) };
  }

  /** After sign-out: the local mirror belongs to nobody now. Queued edits stay, for their user's next sign-in. */
  async reset(): Promise<void> {
    await this.running?.catch(() => undefined);
    await this.db.transaction(async (trx) => {
      await clearCalls(trx);
      await clearCrm(trx);
      await saveSyncState(trx, { lastSeq: 0, lastSyncedAt: null, lastError: null });
      await forgetAudience(trx);
    });
    this.set({ status: "idle", lastSeq: 0, lastSyncedAt: null, error: null, progress: null, refusedEdits: [] });
  }

  current(): SyncState {
    return this.state;
  }

  /** An edit was queued: publish the new count (the caller then asks for a sync). */
  async noteQueued(): Promise<void> {
    this.set({ pendingEdits: await countOutbox(this.db) });
  }

  /** One sync at a time: a call during a sync gets that sync, and one more runs after it (for an edit queued meanwhile). */
  syncNow(): Promise<SyncState> {
    if (this.closed) return Promise.resolve(this.state);
    if (this.running !== null) {
      this.again = true;
      return this.running;
    }
    this.running = this.runUntilQuiet().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** No sync starts after this; the one running finishes its page first, so the store can close after it. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running?.catch(() => undefined);
  }

  private async runUntilQuiet(): Promise<SyncState> {
    let state: SyncState;
    let rounds = 0;
    do {
      this.again = false;
      state = await this.pull();
      rounds += 1;
    } while (this.again && state.status === "idle" && rounds < 5);
    return state;
  }

  private async pull(): Promise<SyncState> {
    const signedIn = this.session.signedIn;
    const session = await this.session.state();
    if (!signedIn || !session.signedIn) return this.set({ status: "idle", error: null, progress: null });
    this.set({ status: "syncing", error: null, progress: null });
    try {
      const replay = await this.outbox.flush();
      this.state = { ...this.state, pendingEdits: await countOutbox(this.db) };
      if (replay.stoppedBy !== null) throw replay.stoppedBy;
      if (await matchAudience(this.db, audienceOf(session.user))) this.state = { ...this.state, lastSeq: 0 };
      let done = 0;
      let total = -1;
      for (let page = 0; page < 1_000_000; page += 1) {
        const query: string = `${serverPaths.changes}?since=${this.state.lastSeq}&limit=${pageSize}${total < 0 ? "&remaining=1" : ""}`;
        const reply: ChangesReply = await signedIn.client.request(ChangesReply, "GET", query, { token: signedIn.token });
        if (total < 0) total = reply.changes.length + (reply.remaining ?? 0);
        await this.apply(reply.changes, reply.next, !reply.hasMore);
        done += reply.changes.length;
        if (!reply.hasMore) break;
        this.progress(done, total);
      }
      // Refusals stay on the bar until edits go through again: a quick second sync must not wipe them unseen.
      const refusedEdits = replay.refused.length > 0 ? replay.refused : replay.sent > 0 ? [] : this.state.refusedEdits;
      return this.set({ status: "idle", lastSyncedAt: Date.now(), progress: null, error: null, refusedEdits });
    } catch (error) {
      // A refusal is kept whole, so the status bar words it in the UI's language (describeStoredError).
      return this.set({ status: isOffline(error) ? "offline" : "error", error: error instanceof CallerError ? errorToText(error) : messageOf(error), progress: null });
    }
  }

  private progress(done: number, total: number): void {
    if (Date.now() - this.lastPublished < progressEveryMs) {
      this.state = { ...this.state, progress: { done, total } };
      return;
    }
    this.set({ progress: { done, total } });
  }

  /**
   * Applies one page and saves where it stopped. The last sync's time is saved only with a run's last page:
   * saved with each page, a restart after a kill mid-sync read "Synced <time>" with most of the mirror missing.
   */
  private async apply(changes: Change[], next: number, complete: boolean): Promise<void> {
    await this.db.transaction(async (trx) => {
      await applyChanges(trx, changes);
      // The server's copy just replaced these: edits still queued for them go back on top.
      const touched = changes.filter((c) => mirroredEntities.has(c.entity)).map((c) => `${c.entity}:${c.entityId}`);
      if (this.state.pendingEdits !== 0) await reapplyQueued(trx, touched);
      await saveSyncState(trx, complete ? { lastSeq: next, lastSyncedAt: Date.now(), lastError: null } : { lastSeq: next, lastError: null });
    });
    if (changes.some((c) => c.entity === "company" || c.entity === "user")) await this.session.refresh();
    this.state = { ...this.state, lastSeq: next };
    for (const notice of noticesFromFeed(changes, Date.now())) notifyUser(this.events, notice);
  }

  private set(patch: Partial<SyncState>): SyncState {
    this.state = { ...this.state, ...patch };
    this.lastPublished = Date.now();
    this.events.emit("syncChanged", this.state);
    return this.state;
  }
}
