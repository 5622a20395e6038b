import pg from "pg";

export interface PgLinkLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** "JOBS": the advisory-lock namespace of scheduled jobs (the change feed uses "CHNG"). */
const jobLockClass = 0x4a4f4253;

/**
 * One PostgreSQL connection of the server's own, outside the pool: LISTEN and
 * session advisory locks belong to a connection, and a pooled one is handed to
 * someone else. When it drops, PostgreSQL frees its locks, so this server gives
 * up what it held, reconnects, listens again and tells `onReconnect` (a
 * notification sent while it was down is lost; whoever waited re-reads).
 */
export class PgLink {
  readonly #url: string;
  readonly #log: PgLinkLog;
  readonly #retryMs: number;
  readonly #held = new Set<string>();
  readonly #listeners = new Map<string, Set<(payload: string) => void>>();
  readonly #reconnected = new Set<() => void>();
  #client: pg.Client | null = null;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: { url: string; log: PgLinkLog; retryMs?: number }) {
    this.#url = options.url;
    this.#log = options.log;
    this.#retryMs = options.retryMs ?? 1000;
  }

  /** Connects; a failure is logged and retried, so the server starts while PostgreSQL restarts. */
  async start(): Promise<void> {
    await this.#connect();
  }

  get connected(): boolean {
    return this.#client !== null;
  }

  /** Calls `onPayload` for each NOTIFY on `channel` (a plain identifier); returns the way to stop. */
  listen(channel: string, onPayload: (payload: string) => void): () => void {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    let set = this.#listeners.get(channel);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(channel, set);
      const client = this.#client;
      if (client !== null) client.query(`listen ${channel}`).catch((error: unknown) => this.#lost(client, error));
    }
    set.add(onPayload);
    return () => set.delete(onPayload);
  }

  /** `then` runs after each reconnection, once LISTEN is in place again. */
  onReconnect(then: () => void): () => void {
    this.#reconnected.add(then);
    return () => this.#reconnected.delete(then);
  }

  /**
   * True while this server holds the session lock `name`: taken now if free, and
   * kept until the connection ends, so one server keeps a job rather than the
   * first to wake each time. Checked with a round trip, so a dead link says false.
   */
  async holds(name: string): Promise<boolean> {
    const client = this.#client;
    if (client === null) return false;
    try {
      if (this.#held.has(name)) {
        await client.query("select 1");
        return this.#client === client;
      }
      const { rows } = await client.query<{ got: boolean }>("select pg_try_advisory_lock($1, hashtext($2)) as got", [jobLockClass, name]);
      if (rows[0]?.got !== true || this.#client !== client) return false;
      this.#held.add(name);
      this.#log.info({ lock: name }, "jobs: this server now runs the job");
      return true;
    } catch (error) {
      this.#lost(client, error);
      return false;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = null;
    this.#held.clear();
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({ connectionString: this.#url, keepAlive: true, application_name: "caller-server link" });
    client.on("error", (error) => this.#lost(client, error));
    client.on("end", () => this.#lost(client, new Error("connection ended")));
    client.on("notification", (message) => {
      for (const onPayload of this.#listeners.get(message.channel) ?? []) onPayload(message.payload ?? "");
    });
    try {
      await client.connect();
      for (const channel of this.#listeners.keys()) await client.query(`listen ${channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.#log.warn({ err: error instanceof Error ? error.message : String(error) }, "database link: not connected, retrying");
      this.#scheduleRetry();
      return;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    for (const then of this.#reconnected) then();
  }

  #lost(client: pg.Client, error: unknown): void {
    if (this.#client !== client) return;
    this.#client = null;
    const held = [...this.#held];
    this.#held.clear();
    this.#log.warn({ err: error instanceof Error ? error.message : String(error), released: held }, "database link: lost, reconnecting");
    void client.end().catch(() => undefined);
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#closed) return;
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => void this.#connect(), this.#retryMs);
    this.#retry.unref();
  }
}
