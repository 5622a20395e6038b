import { changesChannel } from "../db/changes-repo";
import type { PgLink } from "../db/pg-link";

export interface ChangeWaitsOptions {
  /** PostgreSQL: wake on NOTIFY, from any server. null (SQLite, or notices off): re-read every `pollMs`. */
  link: PgLink | null;
  /** Between re-reads without a live link; default 1 s. */
  pollMs?: number;
  /** Between re-reads while the link listens, in case a notice was lost with a connection; default 10 s. */
  listeningPollMs?: number;
}

/**
 * One long-polling reader of a company's feed. Made before its first read, so a
 * change committed between that read and the wait is not slept through.
 */
export interface ChangeWatch {
  /** Resolves at the company's next change (or one since the last call), the next re-read, the deadline, or abort. */
  next(maxMs: number, signal: AbortSignal): Promise<void>;
  close(): void;
}

/**
 * Wakes readers of the change feed waiting for their company's next change.
 * A wake-up is only a hint to read again: what they return is still read by seq.
 */
export class ChangeWaits {
  readonly #link: PgLink | null;
  readonly #pollMs: number;
  readonly #listeningPollMs: number;
  readonly #watches = new Map<number, Set<() => void>>();
  readonly #unlisten: (() => void)[] = [];
  #closed = false;

  constructor(options: ChangeWaitsOptions) {
    this.#link = options.link;
    this.#pollMs = options.pollMs ?? 1000;
    this.#listeningPollMs = options.listeningPollMs ?? 10_000;
    if (this.#link === null) return;
    this.#unlisten.push(this.#link.listen(changesChannel, (payload) => this.#wake(Number(payload))));
    // Notices sent while the link was down are lost: everyone reads again.
    this.#unlisten.push(this.#link.onReconnect(() => this.#wakeAll()));
  }

  get closed(): boolean {
    return this.#closed;
  }

  watch(companyId: number): ChangeWatch {
    let changed = false;
    let wake: (() => void) | null = null;
    const onChange = (): void => {
      changed = true;
      wake?.();
    };
    let set = this.#watches.get(companyId);
    if (set === undefined) {
      set = new Set();
      this.#watches.set(companyId, set);
    }
    set.add(onChange);
    return {
      next: (maxMs, signal) => {
        if (changed || this.#closed || signal.aborted) {
          changed = false;
          return Promise.resolve();
        }
        const everyMs = this.#link?.connected === true ? this.#listeningPollMs : this.#pollMs;
        return new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            signal.removeEventListener("abort", done);
            wake = null;
            changed = false;
            resolve();
          };
          const timer = setTimeout(done, Math.min(maxMs, everyMs));
          signal.addEventListener("abort", done);
          wake = done;
        });
      },
      close: () => {
        set.delete(onChange);
        if (set.size === 0 && this.#watches.get(companyId) === set) this.#watches.delete(companyId);
      },
    };
  }

  /** Ends every wait (the server is closing); later waits return at once. */
  close(): void {
    this.#closed = true;
    for (const unlisten of this.#unlisten) unlisten();
    this.#wakeAll();
  }

  #wake(companyId: number): void {
    for (const onChange of this.#watches.get(companyId) ?? []) onChange();
  }

  #wakeAll(): void {
    for (const set of this.#watches.values()) for (const onChange of set) onChange();
  }
}
