import { randomBytes } from "node:crypto";
import type { Knex } from "knex";
import { drop } from "../../src-shared/assert-never";
import { CallerError } from "../../src-shared/errors";
import type { StartVerificationBody, StartVerificationReply, Verification } from "../../src-shared/server-api/verification";
import { isFinalVerificationState, nextVerificationState, type VerificationEvent, type VerificationState } from "../../src-shared/verification/verification-state";
import type { ServiceLog } from "../calls/calls-service";
import { cdrFromAmiEvent, type CdrRecord } from "../calls/cdr-record";
import { appendChange } from "../db/changes-repo";
import { getUser, toAdminUser } from "../db/users-repo";
import type { AmiClient } from "../pbx/ami-client";
import type { AmiEvent } from "../pbx/ami-message";
import { codeMatches, hashVerificationCode, newVerificationCode } from "./verification-code";
import { checkedExtension } from "./verification-extension";
import { checkVerifiableNumber } from "./verification-number";
import { channelIdFor, verificationResultFromCdr, verificationSignal, type PbxSignal } from "./verification-signals";
import * as repo from "./verifications-repo";

export interface VerificationLimits {
  /** Wrong codes on one verification before it fails. */
  attemptsPerVerification: number;
  verificationsPerUserPerHour: number;
  callsPerNumberPerHour: number;
  ttlMs: number;
}

export const defaultVerificationLimits: VerificationLimits = { attemptsPerVerification: 3, verificationsPerUserPerHour: 5, callsPerNumberPerHour: 3, ttlMs: 5 * 60_000 };

export interface VerificationServiceOptions {
  db: Knex;
  now: () => number;
  log: ServiceLog;
  limits?: Partial<VerificationLimits>;
  /** E.164 the verification call presents (the company's number); absent: the trunk's default. */
  presentCallerId?: string;
  /** How long Originate waits for the answer; above the dialplan's VERIFY_RING_SECONDS plus an extension's DTMF (~2 s + 0.35 s a digit). */
  originateTimeoutMs?: number;
  /**
   * Apply only the events of calls this server placed. With several servers every server
   * hears every PBX, and a wrong code applied once per server would count as several
   * attempts; the server that placed the call applies its events (docs/scale.md).
   */
  ownCallsOnly?: boolean;
}

/** Calls placed here that are remembered for `ownCallsOnly` (a verification lives 5 minutes). */
const maxOwnCalls = 10_000;

type Owner = { companyId: number; userId: number };
type Move = Pick<repo.VerificationRecord, "state" | "failureReason" | "attempts">;

const hourMs = 3_600_000;

/** Still waiting for what the callee typed: no result has been applied to it yet. */
function awaitingResult(state: VerificationState): boolean {
  return state === "calling" || state === "ringing" || state === "answered";
}

/**
 * Number verification: one AMI Originate per request into the `verify` dialplan,
 * whose events move the verification through its states. Originate is never
 * retried: a call whose request was lost in a reconnect is marked failed.
 */
export class VerificationService {
  readonly #options: VerificationServiceOptions;
  readonly #limits: VerificationLimits;
  /** One per PBX; calls go out on a connected one, in turn. */
  readonly #clients: AmiClient[] = [];
  #nextClient = 0;
  readonly #placedHere = new Set<string>();
  #queue: Promise<void> = Promise.resolve();

  constructor(options: VerificationServiceOptions) {
    this.#options = options;
    this.#limits = { ...defaultVerificationLimits, ...options.limits };
  }

  /** An AMI connection calls may go out on and events come from (the calls service's); once per PBX. */
  attach(client: AmiClient): void {
    this.#clients.push(client);
    client.on("event", (event) => this.handleEvent(event));
  }

  /** A connected PBX, taking turns, so verification calls spread and skip a PBX that is down. */
  #connectedClient(): AmiClient | null {
    for (let i = 0; i < this.#clients.length; i++) {
      const client = this.#clients[(this.#nextClient + i) % this.#clients.length];
      if (client?.state === "connected") {
        this.#nextClient = (this.#nextClient + i + 1) % this.#clients.length;
        return client;
      }
    }
    return null;
  }

  async start(owner: Owner, body: StartVerificationBody): Promise<StartVerificationReply> {
    const { db, now } = this.#options;
    const checked = checkVerifiableNumber(body.country, body.number);
    if (!checked.ok) throw new CallerError("invalid_number", `${checked.reason}: this number cannot be verified`);
    const extension = checkedExtension(body.extension);
    const at = now();
    if ((await repo.countUserVerificationsSince(db, owner.userId, at - hourMs)) >= this.#limits.verificationsPerUserPerHour) {
      throw new CallerError("rate_limited", `at most ${this.#limits.verificationsPerUserPerHour} verifications an hour`, {
        reason: "verifications_per_hour",
        params: { limit: this.#limits.verificationsPerUserPerHour },
      });
    }
    if ((await repo.countNumberCallsSince(db, checked.e164, at - hourMs)) >= this.#limits.callsPerNumberPerHour) {
      throw new CallerError("rate_limited", `at most ${this.#limits.callsPerNumberPerHour} verification calls to one number an hour`, {
        reason: "verification_calls_per_number",
        params: { limit: this.#limits.callsPerNumberPerHour },
      });
    }
    const client = this.#connectedClient();
    if (client === null) throw new CallerError("ami_not_connected", "The phone system is not reachable: try again shortly");

    const code = newVerificationCode();
    const id = `v${randomBytes(12).toString("hex")}`;
    const record: repo.VerificationRecord = {
      id,
      ...owner,
      number: checked.e164,
      extension,
      code: hashVerificationCode(code),
      state: "calling",
      failureReason: null,
      attempts: 0,
      pbxChannelId: channelIdFor(id),
      createdAt: at,
      expiresAt: at + this.#limits.ttlMs,
      updatedAt: at,
    };
    await db.transaction(async (trx) => {
      await repo.insertVerification(trx, record);
      await this.#announce(trx, record);
    });
    if (this.#options.ownCallsOnly === true) this.#rememberPlaced(id);
    try {
      await client.action({
        Action: "Originate",
        Channel: `Local/${checked.e164}@verify-out`,
        Context: "verify",
        Exten: "s",
        Priority: 1,
        ChannelId: record.pbxChannelId,
        OtherChannelId: `${record.pbxChannelId}-2`,
        Variable: {
          VERIFY_ID: id,
          ...(this.#options.presentCallerId === undefined ? {} : { VERIFY_CALLERID: this.#options.presentCallerId }),
          // verify-out (the Local channel's other half, which gets every variable) dials it after the answer.
          ...(extension === null ? {} : { VERIFY_EXTENSION: extension }),
        },
        Timeout: this.#options.originateTimeoutMs ?? 60_000,
        Async: true,
      });
    } catch (error) {
      // Whether the phone rang is unknown: the request is not sent again, the verification fails.
      this.#options.log.warn({ verificationId: id, err: error instanceof Error ? error.message : String(error) }, "verification call not placed");
      await this.#enqueue(() => this.#apply(id, { kind: "move", event: "failed", failureReason: "pbx_unavailable" }));
    }
    const current = await repo.getVerification(db, id);
    return { verification: repo.toVerification(current ?? record), code };
  }

  /** The owner's verification; anyone else's is as unknown as a made-up id. */
  async get(owner: Owner, id: string): Promise<Verification> {
    const record = await this.#owned(owner, id);
    if (!isFinalVerificationState(record.state) && this.#options.now() >= record.expiresAt) {
      await this.#enqueue(() => this.#apply(id, { kind: "move", event: "expired" }));
      return repo.toVerification((await repo.getVerification(this.#options.db, id)) ?? record);
    }
    return repo.toVerification(record);
  }

  async cancel(owner: Owner, id: string): Promise<Verification> {
    const record = await this.#owned(owner, id);
    await this.#enqueue(() => this.#apply(id, { kind: "move", event: "cancelled" }));
    // Hangup finds the channel by its uniqueid on whichever PBX has it (another server may have placed
    // the call); a call already gone, or on another PBX, is not an error worth more than a line.
    for (const client of isFinalVerificationState(record.state) ? [] : this.#clients) {
      if (client.state !== "connected") continue;
      drop(client.action({ Action: "Hangup", Channel: record.pbxChannelId, Cause: 16 }), (error) =>
        this.#options.log.info({ verificationId: id, err: error instanceof Error ? error.message : String(error) }, "verification hangup not needed"),
      );
    }
    return repo.toVerification((await repo.getVerification(this.#options.db, id)) ?? record);
  }

  handleEvent(event: AmiEvent): void {
    if (event.event === "Cdr") {
      const cdr = cdrFromAmiEvent(event);
      if (cdr !== null) this.handleCdrs([cdr]);
      return;
    }
    const keyed = verificationSignal(event);
    if (keyed === null) return;
    if (this.#options.ownCallsOnly === true && !this.#placedHere.has(keyed.verificationId)) return;
    const { settleMs } = keyed.signal.kind === "move" ? keyed.signal : {};
    if (settleMs !== undefined) {
      setTimeout(() => this.#handleSettled(keyed.verificationId, keyed.signal), settleMs).unref();
      return;
    }
    this.#handleSettled(keyed.verificationId, keyed.signal);
  }

  /**
   * CDRs, from AMI or the calls service's read-back of the CDR store after a
   * reconnect. A verify leg's carries what it read: applied when its UserEvent
   * never was (lost while AMI was cut), so the verification does not wait out
   * its expiry; one that was applied already (any later state) ignores it.
   */
  handleCdrs(cdrs: readonly CdrRecord[]): void {
    for (const cdr of cdrs) {
      const keyed = verificationResultFromCdr(cdr);
      if (keyed === null) continue;
      drop(this.#enqueue(() => this.#applyRecorded(keyed.verificationId, keyed.signal)), (error) =>
        this.#options.log.error({ verificationId: keyed.verificationId, err: error instanceof Error ? error.message : String(error) }, "verification result from the CDR not applied"),
      );
    }
  }

  async #applyRecorded(id: string, signal: PbxSignal): Promise<void> {
    const record = await repo.getVerification(this.#options.db, id);
    if (record === undefined || !awaitingResult(record.state)) return;
    // Digits were read, so the call was answered, which the events lost with the result may not have said.
    if (signal.kind === "digits" && record.state !== "answered") await this.#apply(id, { kind: "move", event: "answered" });
    this.#options.log.info({ verificationId: id }, "verification result read from its CDR (its UserEvent never arrived)");
    await this.#apply(id, signal);
  }

  #handleSettled(verificationId: string, signal: PbxSignal): void {
    const keyed = { verificationId, signal };
    drop(this.#enqueue(() => this.#apply(keyed.verificationId, keyed.signal)), (error) =>
      this.#options.log.error({ verificationId: keyed.verificationId, err: error instanceof Error ? error.message : String(error) }, "verification event not applied"),
    );
  }

  #rememberPlaced(id: string): void {
    if (this.#placedHere.size >= maxOwnCalls) {
      const oldest = this.#placedHere.values().next();
      if (oldest.done !== true) this.#placedHere.delete(oldest.value);
    }
    this.#placedHere.add(id);
  }

  /** Resolves when every event heard so far has been applied. */
  whenIdle(): Promise<void> {
    return this.#queue;
  }

  async #owned(owner: Owner, id: string): Promise<repo.VerificationRecord> {
    const record = await repo.getVerification(this.#options.db, id);
    if (record === undefined || record.userId !== owner.userId || record.companyId !== owner.companyId) {
      throw new CallerError("not_found", "No verification of yours has this id");
    }
    return record;
  }

  /** One write at a time, in arrival order: events of one call never race each other. */
  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #apply(id: string, signal: PbxSignal): Promise<void> {
    const { db, now } = this.#options;
    const record = await repo.getVerification(db, id);
    if (record === undefined) return;
    const move = this.#moveFor(record, signal);
    if (move === null) return;
    const at = now();
    await db.transaction(async (trx) => {
      if (!(await repo.saveVerificationState(trx, record, { ...move, updatedAt: at }))) return;
      const saved = { ...record, ...move, updatedAt: at };
      await this.#announce(trx, saved);
      if (saved.state === "verified") await this.#connectNumber(trx, saved, at);
    });
    this.#options.log.info({ verificationId: id, from: record.state, to: move.state }, "verification moved");
  }

  #moveFor(record: repo.VerificationRecord, signal: PbxSignal): Move | null {
    const to = (event: VerificationEvent, failureReason: Move["failureReason"] = null, attempts = record.attempts): Move | null => {
      const state = nextVerificationState(record.state, event);
      return state === null ? null : { state, failureReason, attempts };
    };
    if (signal.kind === "move") return to(signal.event, signal.failureReason ?? null);
    if (nextVerificationState(record.state, "digits_match") === null) return null;
    if (this.#options.now() >= record.expiresAt) return to("expired");
    if (codeMatches(signal.digits, record.code)) return to("digits_match");
    const attempts = record.attempts + 1;
    return attempts >= this.#limits.attemptsPerVerification ? to("too_many_attempts", "too_many_attempts", attempts) : to("digits_wrong", null, attempts);
  }

  async #announce(trx: Knex.Transaction, record: repo.VerificationRecord): Promise<void> {
    const { companyId, userId, id, updatedAt } = record;
    await appendChange(trx, { companyId, audienceUserId: userId, entity: "verification", entityId: id, op: "upsert", data: repo.toVerification(record), at: updatedAt });
  }

  async #connectNumber(trx: Knex.Transaction, record: repo.VerificationRecord, at: number): Promise<void> {
    await repo.setVerifiedNumber(trx, record.userId, record.number);
    const user = await getUser(trx, record.companyId, record.userId);
    if (user === undefined) return;
    await appendChange(trx, { companyId: record.companyId, audienceUserId: user.id, entity: "user", entityId: String(user.id), op: "upsert", data: toAdminUser(user), at });
  }
}
