import type { Knex } from "knex";
import type { SessionService } from "./session-service";
import { replayOutbox, type QueuedEdit, type ReplayResult, type Sender } from "./sync-outbox";

const nothing: ReplayResult = { sent: 0, refused: [], stoppedBy: null };

/**
 * Sends the outbox (every edit made on this device, of every kind, in order)
 * as the signed-in user. One replay at a time: asked during one, it runs once
 * more after it, for an edit queued meanwhile. The sync runs it before each
 * pull; a saved call outcome runs it at once.
 */
export class OutboxFlusher {
  #running: Promise<ReplayResult> | null = null;
  #again = false;
  #closed = false;
  readonly #listeners = new Set<(kind: QueuedEdit["kind"]) => void>();

  constructor(
    private readonly db: Knex,
    private readonly session: SessionService,
  ) {}

  /** Told after each item leaves the outbox (sent, or refused for good). */
  onSettled(listener: (kind: QueuedEdit["kind"]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  flush(): Promise<ReplayResult> {
    if (this.#closed) return Promise.resolve(nothing);
    if (this.#running !== null) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#untilQuiet().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** No replay starts after this; the one running finishes its item first, so the store can close after it. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#running?.catch(() => undefined);
  }

  async #untilQuiet(): Promise<ReplayResult> {
    const total: ReplayResult = { sent: 0, refused: [], stoppedBy: null };
    let rounds = 0;
    do {
      this.#again = false;
      const round = await this.#replay();
      total.sent += round.sent;
      total.refused.push(...round.refused);
      total.stoppedBy = round.stoppedBy;
      rounds += 1;
    } while (this.#again && total.stoppedBy === null && !this.#closed && rounds < 5);
    return total;
  }

  async #replay(): Promise<ReplayResult> {
    const signedIn = this.session.signedIn;
    const state = await this.session.state();
    if (signedIn === null || !state.signedIn) return nothing;
    const sender: Sender = { request: (schema, method, path, body) => signedIn.client.request(schema, method, path, { token: signedIn.token, body }) };
    return replayOutbox(this.db, sender, state.user.id, (kind) => {
      for (const listener of this.#listeners) listener(kind);
    });
  }
}
