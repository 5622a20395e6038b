import { randomUUID } from "node:crypto";
import type { Knex } from "knex";
import { drop } from "../../src-shared/assert-never";
import { companyLanguage } from "../../src-shared/domain/company";
import type { ServiceLog } from "../calls/calls-service";
import type { MailMessage, Mailer } from "../mail/mailer";
import type { RecordingStorage } from "../recordings/recording-storage";
import { maxAttachmentBytes, voicemailEmail } from "./voicemail-email";
import { claimVoicemailEmail, contactNameOf, giveUpVoicemailEmailsBefore, dueVoicemailEmails, findVoicemailEmailFacts, markVoicemailEmailFailed, markVoicemailEmailSent, type VoicemailEmailFacts } from "./voicemail-mail-repo";

export interface VoicemailMailOptions {
  db: Knex;
  mailer: Mailer;
  storage: RecordingStorage;
  now: () => number;
  log: ServiceLog;
  /** How often the outbox is looked at; 0: only when `runOnce` is called. */
  pollMs?: number;
  /** How long a claimed row is this sender's: longer than any one send takes, short enough that a dead server's rows move on. */
  leaseMs?: number;
}

/** Between tries after a failure: 30 s, doubling, at most 30 min apart. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
}

/** A voicemail older than this is news no more: an email still unsent then is given up, and logged. */
export const giveUpAfterMs = 3 * 24 * 3600_000;

const batch = 20;

async function readAll(storage: RecordingStorage, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of storage.read(key)) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/**
 * Sends the voicemail emails the recording ingest queued (voicemail_emails),
 * away from the ingest so SMTP can never slow or fail it. Each row is claimed
 * with a lease (several servers may share the database), sent, then marked;
 * a failure is tried again later with backoff. A crash between the SMTP
 * accept and the mark resends after the lease, with the same Message-ID.
 */
export class VoicemailMailSender {
  readonly #options: VoicemailMailOptions;
  readonly #owner = randomUUID();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | null = null;
  #stopped = false;

  constructor(options: VoicemailMailOptions) {
    this.#options = options;
  }

  start(): void {
    const every = this.#options.pollMs ?? 3_000;
    if (every <= 0) return;
    this.#timer = setInterval(() => drop(this.runOnce(), (error) => this.#fail(error)), every).unref();
    drop(this.runOnce(), (error) => this.#fail(error));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  /** Sends what is due now; the number sent. A pass already under way is joined, not doubled. */
  runOnce(): Promise<number> {
    if (this.#running !== null) return this.#running;
    const run = this.#pass().finally(() => {
      this.#running = null;
    });
    this.#running = run;
    return run;
  }

  async #pass(): Promise<number> {
    const { db, now } = this.#options;
    let sent = 0;
    const stale = await giveUpVoicemailEmailsBefore(db, now() - giveUpAfterMs, now());
    if (stale > 0) this.#options.log.warn({ count: stale }, "voicemail emails too old to send: given up");
    for (const id of await dueVoicemailEmails(db, now(), batch)) {
      if (this.#stopped) break;
      const at = now();
      if (!(await claimVoicemailEmail(db, id, this.#owner, at, at + (this.#options.leaseMs ?? 120_000)))) continue;
      if (await this.#send(id)) sent += 1;
    }
    return sent;
  }

  async #send(id: number): Promise<boolean> {
    const { db, now, log } = this.#options;
    const facts = await findVoicemailEmailFacts(db, id);
    if (facts === undefined) return false;
    try {
      await this.#options.mailer.send(await this.#message(facts));
      await markVoicemailEmailSent(db, id, this.#owner, now());
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const attempts = facts.attempts + 1;
      const at = now();
      const givenUp = at - facts.createdAt >= giveUpAfterMs;
      await markVoicemailEmailFailed(db, id, this.#owner, { error: message, nextAttemptAt: at + retryDelayMs(attempts), givenUpAt: givenUp ? at : null });
      // The recipient's address is not logged: the row id finds it.
      log[givenUp ? "error" : "warn"]({ voicemailEmail: id, attempts, err: message }, givenUp ? "voicemail email given up" : "voicemail email not sent; will retry");
      return false;
    }
  }

  async #message(facts: VoicemailEmailFacts): Promise<MailMessage> {
    const { db, storage } = this.#options;
    const { recipient, company, call, recording } = facts;
    const language = recipient.locale === "ja" || recipient.locale === "en" ? recipient.locale : companyLanguage(company);
    const audio = recording.sizeBytes > maxAttachmentBytes ? null : await readAll(storage, recording.storageKey);
    return voicemailEmail({
      to: recipient.email,
      language,
      companyName: company.name,
      country: company.country,
      timeZone: company.timeZone,
      from: call.from,
      contactName: await contactNameOf(db, company.id, call.from),
      companyNumber: call.inboundNumber ?? "",
      numberLabel: facts.numberLabel,
      transferredBy: call.transferredBy,
      at: call.startedAt,
      durationMs: recording.durationMs,
      audio,
      messageId: `<voicemail-${facts.id}@caller.invalid>`,
    });
  }

  #fail(error: unknown): void {
    this.#options.log.error({ err: error instanceof Error ? error.message : String(error) }, "voicemail emails: outbox pass failed");
  }
}
