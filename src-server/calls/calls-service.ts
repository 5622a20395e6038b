import type { Knex } from "knex";
import { drop } from "../../src-shared/assert-never";
import { CallerError } from "../../src-shared/errors";
import { inProcessWriter, type DurableWriter } from "../db/writer/durable-writer";
import { AmiClient, type AmiClientOptions } from "../pbx/ami-client";
import type { AmiState } from "../pbx/ami-state";
import { header, type AmiEvent } from "../pbx/ami-message";
import { asteriskStartedAt, readSystemName } from "../pbx/asterisk-session";
import { backoffDelay } from "../pbx/backoff";
import { cdrFromAmiEvent, type CdrRecord } from "./cdr-record";
import { RaterCache } from "../credits/rater-cache";
import { reconcileCdrStore } from "./cdr-store";
import { startToleranceMs, type PbxSession } from "./pbx-loss";

export interface ServiceLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface CallsServiceOptions {
  db: Knex;
  /** Where CDRs are written; default: group commit on `db` in this thread. */
  writer?: DurableWriter;
  /** Prices the calls reconciled from the CDR store (and those of the default writer); default: a cache of this service's own. */
  raters?: RaterCache;
  ami: AmiClientOptions;
  /** Asterisk's cdr.db (PBX_CDR_DB); null: nothing to reconcile from. */
  cdrStore: string | null;
  now: () => number;
  log: ServiceLog;
  /**
   * AMI event classes this session asks for (Action: Events) after each login:
   * the AMI user may read more (dialplan: a Newexten per dialplan line of every
   * call), which the server would only parse and drop.
   */
  eventMask?: string;
}

/** `system` only for FullyBooted (manager.conf's eventfilter lets no other system event through). */
export const defaultEventMask = "call,user,cdr,system";

/** How often a connected Asterisk is noted as alive: what an interrupted call is billed to if the server was down when it died. */
const heartbeatMs = 60_000;

/** A session that has not heard FullyBooted by then cannot tell a restarted Asterisk: said once per session. */
const bootWarningMs = 10_000;

/** About 30 s of retries before leaving a CDR to the store read-back. */
const maxIngestAttempts = 8;

/**
 * The server's side of the PBX's call records: one AMI connection whose `Cdr`
 * events become call records, and a read-back of Asterisk's own CDR store at
 * start and after every (re)connect for what AMI missed. All writes go through
 * one queue, in arrival order; every write is idempotent on the PBX's uniqueid.
 *
 * It also notices a lost Asterisk: each session learns which Asterisk it talks
 * to (SystemName) and when that process started (FullyBooted). Calls still open
 * that were authorized before that start were carried by an Asterisk that is
 * gone, so they are closed as interrupted and charged from the answer AMI
 * reported (DialEnd) to that Asterisk's last sign of life, noted when the
 * connection dropped (and kept in the database, for a server restarted meanwhile).
 */
export class CallsService {
  readonly #options: CallsServiceOptions;
  readonly #client: AmiClient;
  readonly #writer: DurableWriter;
  readonly #raters: RaterCache;
  #queue: Promise<void> = Promise.resolve();
  /** CDRs heard and not yet written; one write takes all that arrived meanwhile (a call's CDRs come together). */
  #pendingCdrs: CdrRecord[] = [];
  /** Failed writes per uniqueid, for the retry's backoff. */
  readonly #ingestAttempts = new Map<string, number>();
  #stopped = false;
  #connectTimer: NodeJS.Timeout | undefined;
  /** Answers heard (DialEnd ANSWER) and not yet written. */
  #pendingAnswers: { uniqueid: string; at: number }[] = [];
  /** The Asterisk of the current AMI session, once FullyBooted and its SystemName are known. */
  #asterisk: PbxSession | null = null;
  /** Counts AMI sessions, so a SystemName read during an earlier one is not taken for this one's. */
  #session = 0;
  #bootWarning: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  readonly #storeListeners: ((cdrs: readonly CdrRecord[]) => void)[] = [];

  constructor(options: CallsServiceOptions) {
    this.#options = options;
    this.#raters = options.raters ?? new RaterCache();
    this.#writer = options.writer ?? inProcessWriter(options.db, { log: options.log, raters: this.#raters });
    // Its last-sign-of-life times and this service's answer times on one clock.
    this.#client = new AmiClient({ now: options.now, ...options.ami });
    this.#client.on("state", (next, previous, cause) => this.#onState(next, previous, cause));
    this.#client.on("event", (event) => {
      switch (event.event) {
        case "Cdr":
          return this.#onCdr(event);
        case "DialEnd":
          return this.#onDialEnd(event);
        case "FullyBooted":
          return this.#onBooted(event);
        default:
          return;
      }
    });
  }

  #onCdr(event: AmiEvent): void {
    const cdr = cdrFromAmiEvent(event);
    if (cdr === null) return this.#options.log.warn({ uniqueid: event.uniqueid }, "AMI Cdr event without uniqueid or times; skipped");
    this.#pendingCdrs.push(cdr);
    if (this.#pendingCdrs.length === 1) this.#enqueue("ingest", () => this.#ingestPending());
  }

  /** The far end answered: noted (server clock), so a call cut off by a lost Asterisk is billed from here. */
  #onDialEnd(event: AmiEvent): void {
    const uniqueid = header(event, "uniqueid");
    if (header(event, "dialstatus") !== "ANSWER" || uniqueid === undefined || uniqueid === "") return;
    this.#pendingAnswers.push({ uniqueid, at: this.#options.now() });
    if (this.#pendingAnswers.length === 1) {
      this.#enqueue("answers", async () => {
        const answers = this.#pendingAnswers;
        this.#pendingAnswers = [];
        await this.#writer.run("recordAnswers", { answers });
      });
    }
  }

  #onBooted(event: AmiEvent): void {
    const startedAt = asteriskStartedAt(event, this.#options.now());
    if (startedAt === null || this.#client.state !== "connected") return;
    clearTimeout(this.#bootWarning);
    const session = this.#session;
    drop(
      readSystemName(this.#client).then((systemName) => {
        if (session !== this.#session || this.#stopped) return;
        this.#asterisk = { systemName, startedAt };
        this.#enqueue("pbx session", () => this.#startPbxSession({ systemName, startedAt }));
      }),
      (error) => this.#options.log.warn({ err: error instanceof Error ? error.message : String(error) }, "AMI: the Asterisk's SystemName was not read; calls on a lost Asterisk are not closed this session"),
    );
  }

  async #startPbxSession(asterisk: PbxSession): Promise<void> {
    const { interrupted, previousStartedAt } = await this.#writer.run("startPbxSession", { session: asterisk, now: this.#options.now() });
    const restarted = previousStartedAt !== null && Math.abs(asterisk.startedAt - previousStartedAt) > startToleranceMs;
    if (restarted || interrupted.length > 0) {
      this.#options.log.warn(
        { systemName: asterisk.systemName, startedAt: asterisk.startedAt, previousStartedAt, interrupted },
        "AMI: a new Asterisk process; the calls the lost one carried were closed as interrupted",
      );
    }
  }

  /** Also hears the records read back from the CDR store (AMI's Cdr events reach AMI listeners directly). */
  onStoreCdrs(listener: (cdrs: readonly CdrRecord[]) => void): void {
    this.#storeListeners.push(listener);
  }

  /** The one AMI connection, shared with the verification service (its Originates, its events). */
  get amiClient(): AmiClient {
    return this.#client;
  }

  get amiState(): AmiState {
    return this.#client.state;
  }

  /** Reconciles once, then connects; a PBX that is down is retried with backoff until `stop()`. */
  start(): void {
    this.reconcile();
    this.#connect(0);
  }

  /** Queues a read-back of the CDR store (also run by itself on every AMI (re)connect). */
  reconcile(): void {
    const file = this.#options.cdrStore;
    if (file === null) return;
    this.#enqueue("reconcile", async () => {
      const result = await reconcileCdrStore(this.#options.db, file, this.#options.now, { log: this.#options.log, raters: this.#raters }, (cdrs) => {
        for (const listener of this.#storeListeners) listener(cdrs);
      });
      if (result.rowsRead > 0) this.#options.log.info({ file, ...result }, "reconciled calls from the PBX's CDR store");
    });
  }

  /** Resolves once AMI is connected (now or after a retry); rejects after `timeoutMs`. */
  waitUntilConnected(timeoutMs: number): Promise<void> {
    return this.#client.waitUntilConnected(timeoutMs);
  }

  /** Resolves when everything queued so far has been written. */
  whenIdle(): Promise<void> {
    return this.#queue;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#connectTimer);
    clearTimeout(this.#bootWarning);
    clearInterval(this.#heartbeat);
    this.#noteSeen();
    this.#client.close();
    await this.#queue;
  }

  /** The current Asterisk was alive at its last message: written, so a server restart knows how far its calls went. */
  #noteSeen(): void {
    const asterisk = this.#asterisk;
    const seenAt = this.#client.lastHeardAt;
    if (asterisk === null || seenAt === null || this.#client.state !== "connected") return;
    this.#enqueue("pbx seen", () => this.#writer.run("pbxSeen", { systemName: asterisk.systemName, seenAt, now: this.#options.now() }));
  }

  /** One transaction (one commit, one fsync) for every CDR that is waiting. */
  async #ingestPending(): Promise<void> {
    const cdrs = this.#pendingCdrs;
    this.#pendingCdrs = [];
    if (cdrs.length === 0) return;
    try {
      await this.#writer.run("ingestCdrs", { cdrs, now: this.#options.now() });
      for (const cdr of cdrs) this.#ingestAttempts.delete(cdr.uniqueid);
    } catch (error) {
      // Nothing of the batch was written (one transaction): try again shortly. Every write is
      // idempotent on the uniqueid, so a retry never charges twice; the CDR store read-back
      // on the next reconnect or start covers a server that dies before it succeeds.
      this.#retryIngest(cdrs, error);
    }
  }

  #retryIngest(cdrs: CdrRecord[], error: unknown): void {
    const attempt = (this.#ingestAttempts.get(cdrs[0]?.uniqueid ?? "") ?? 0) + 1;
    const reason = error instanceof Error ? error.message : String(error);
    if (this.#stopped || attempt > maxIngestAttempts) {
      this.#options.log.error({ err: reason, uniqueids: cdrs.map((cdr) => cdr.uniqueid) }, "calls: CDRs not written; the CDR store read-back will bring them");
      for (const cdr of cdrs) this.#ingestAttempts.delete(cdr.uniqueid);
      return;
    }
    for (const cdr of cdrs) this.#ingestAttempts.set(cdr.uniqueid, attempt);
    const delay = backoffDelay(attempt - 1, { initialMs: 200, maxMs: 5_000, factor: 2 });
    this.#options.log.warn({ err: reason, attempt, retryInMs: delay }, "calls: CDR write failed, retrying");
    setTimeout(() => {
      this.#pendingCdrs.push(...cdrs);
      if (this.#pendingCdrs.length === cdrs.length) this.#enqueue("ingest", () => this.#ingestPending());
    }, delay).unref();
  }

  #connect(attempt: number): void {
    if (this.#stopped) return;
    this.#client.connect().catch((error: unknown) => {
      if (this.#stopped) return;
      const delay = backoffDelay(attempt);
      this.#options.log.warn({ err: error instanceof CallerError ? error.message : String(error), retryInMs: delay }, "AMI connect failed");
      this.#connectTimer = setTimeout(() => this.#connect(attempt + 1), delay);
    });
  }

  #onState(next: AmiState, previous: AmiState, cause: CallerError | undefined): void {
    if (next === "connected") {
      this.#session += 1;
      this.#asterisk = null;
      this.#options.log.info({ previous }, "AMI connected: call records follow the PBX");
      const mask = this.#options.eventMask ?? defaultEventMask;
      drop(this.#client.action({ Action: "Events", EventMask: mask }), (error) =>
        this.#options.log.warn({ err: error instanceof Error ? error.message : String(error) }, "AMI Events mask not set"),
      );
      // Before the session's FullyBooted is acted on: calls that ended normally while AMI was away are closed by their CDRs.
      this.reconcile();
      clearTimeout(this.#bootWarning);
      this.#bootWarning = setTimeout(() => {
        if (this.#asterisk === null && this.#client.state === "connected") {
          this.#options.log.warn({}, "AMI: no FullyBooted (does the AMI user have read=system?): calls on a lost Asterisk cannot be closed");
        }
      }, bootWarningMs);
      this.#bootWarning.unref();
      if (this.#heartbeat === undefined) {
        this.#heartbeat = setInterval(() => this.#noteSeen(), heartbeatMs);
        this.#heartbeat.unref();
      }
    } else if (previous === "connected" && next !== "closed") {
      this.#options.log.warn({ next, cause: cause?.message }, "AMI connection lost: the CDR store fills the gap on reconnect");
      const asterisk = this.#asterisk;
      const lostAt = this.#client.lastHeardAt;
      this.#asterisk = null;
      if (asterisk !== null && lostAt !== null) {
        this.#enqueue("pbx lost", () => this.#writer.run("pbxLost", { systemName: asterisk.systemName, lostAt, now: this.#options.now() }));
      }
    }
  }

  #enqueue(what: string, task: () => Promise<unknown>): void {
    const run = this.#queue.then(task);
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    drop(run, (error) => this.#options.log.error({ err: error instanceof Error ? error.message : String(error) }, `calls: ${what} failed`));
  }
}
