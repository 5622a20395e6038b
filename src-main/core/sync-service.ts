import type { Knex } from "knex";
import type { SyncState } from "../../src-shared/api/contract";
import { ChangesReply, type Change } from "../../src-shared/server-api/changes";
import { CallerError } from "../../src-shared/errors";
import { serverPaths } from "../../src-shared/server-api/paths";
import { getSyncState, saveSyncState } from "./store/sync-repo";
import { applyChanges } from "./apply-change";
import { clearCalls } from "./store/calls-repo";
import { clearCrm } from "./store/crm-repo";
import type { EventHub } from "./event-hub";
import type { SessionService } from "./session-service";

const pageSize = 1000;

/**
 * Pulls the server's change feed into the local store. Each page is applied in
 * one transaction together with the new `last_seq`, so a crash or a dropped
 * connection resumes exactly where it stopped.
 */
export class SyncService {
  private state: SyncState = { status: "idle", lastSyncedAt: null, lastSeq: 0, error: null };
  private running: Promise<SyncState> | null = null;

  constructor(
    private readonly db: Knex,
    private readonly session: SessionService,
    private readonly events: EventHub,
  ) {}

  async load(): Promise<void> {
    const saved = await getSyncState(this.db);
    this.state = { ...this.state, lastSeq: saved.lastSeq, lastSyncedAt: saved.lastSyncedAt };
  }

  /** After sign-out: the local mirror belongs to nobody now. */
  async reset(): Promise<void> {
    await this.running?.catch(() => undefined);
    await this.db.transaction(async (trx) => {
      await clearCalls(trx);
      await clearCrm(trx);
      await saveSyncState(trx, { lastSeq: 0, lastSyncedAt: null, lastError: null });
    });
    this.set({ status: "idle", lastSeq: 0, lastSyncedAt: null, error: null });
  }

  current(): SyncState {
    return this.state;
  }

  /** One sync at a time: a second caller waits for the one under way. */
  syncNow(): Promise<SyncState> {
    this.running ??= this.pull().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pull(): Promise<SyncState> {
    const signedIn = this.session.signedIn;
    if (!signedIn) return this.set({ status: "idle", error: null });
    this.set({ status: "syncing", error: null });
    try {
      for (;;) {
        const reply = await signedIn.client.request(ChangesReply, "GET", `${serverPaths.changes}?since=${this.state.lastSeq}&limit=${pageSize}`, {
          token: signedIn.token,
        });
        await this.apply(reply.changes, reply.next);
        if (!reply.hasMore) break;
      }
      return this.set({ status: "idle", lastSyncedAt: Date.now() });
    } catch (error) {
      const offline = error instanceof CallerError && error.code === "server_unreachable";
      return this.set({ status: offline ? "offline" : "error", error: error instanceof Error ? error.message : String(error) });
    }
  }

  private async apply(changes: Change[], next: number): Promise<void> {
    await this.db.transaction(async (trx) => {
      await applyChanges(trx, changes);
      await saveSyncState(trx, { lastSeq: next, lastSyncedAt: Date.now(), lastError: null });
    });
    if (changes.some((c) => c.entity === "company" || c.entity === "user")) await this.session.refresh();
    this.state = { ...this.state, lastSeq: next };
  }

  private set(patch: Partial<SyncState>): SyncState {
    this.state = { ...this.state, ...patch };
    this.events.emit("syncChanged", this.state);
    return this.state;
  }
}
