import { isIP } from "node:net";
import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import { header, type AmiEvent } from "./ami-message";
import { banSipAddress, sipBanAddress, type SipBan } from "./sip-bans";

export interface SipBanSettings {
  /** Failures from one address within `windowMs` that ban it. */
  maxFailures: number;
  windowMs: number;
  /** How long a ban lasts. */
  banMs: number;
  /**
   * Never banned: the addresses everyone comes from when Asterisk's WebSocket
   * listener sits behind a proxy on this machine (loopback by default), where a
   * ban would lock every user out.
   */
  exempt: readonly string[];
}

export const defaultSipBanSettings: SipBanSettings = { maxFailures: 10, windowMs: 60_000, banMs: 15 * 60_000, exempt: ["127.0.0.1", "::1"] };

/** The AMI event class the security events need (manager.conf `read`, and the session's `Events` mask). */
export const sipBanEventClass = "security";

/** AMI security events of a failed authentication: a SIP digest that did not match, or an AMI login refused. */
export const authFailureEvents: ReadonlySet<string> = new Set(["ChallengeResponseFailed", "InvalidPassword"]);

function whole(env: Readonly<Record<string, string | undefined>>, key: string, fallback: number, min: number, max: number): number {
  const text = env[key];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new CallerError("bad_request", `${key} must be a whole number from ${min} to ${max}, got "${text.slice(0, 32)}"`);
  return value;
}

/**
 * CALLER_SIP_BAN_FAILURES (10), CALLER_SIP_BAN_WINDOW_SECONDS (60),
 * CALLER_SIP_BAN_SECONDS (900), CALLER_SIP_BAN_EXEMPT (comma-separated addresses;
 * default 127.0.0.1,::1; empty: none).
 */
export function sipBanSettingsFrom(env: Readonly<Record<string, string | undefined>>): SipBanSettings {
  const exemptText = env.CALLER_SIP_BAN_EXEMPT;
  const exempt =
    exemptText === undefined
      ? defaultSipBanSettings.exempt
      : exemptText
          .split(",")
          .map((part) => part.trim())
          .filter((part) => part !== "")
          .map((part) => {
            try {
              return sipBanAddress(part);
            } catch {
              throw new CallerError("bad_request", `CALLER_SIP_BAN_EXEMPT holds "${part.slice(0, 64)}", not an IP address`);
            }
          });
  return {
    maxFailures: whole(env, "CALLER_SIP_BAN_FAILURES", defaultSipBanSettings.maxFailures, 1, 1_000_000),
    windowMs: whole(env, "CALLER_SIP_BAN_WINDOW_SECONDS", defaultSipBanSettings.windowMs / 1000, 1, 86_400) * 1000,
    banMs: whole(env, "CALLER_SIP_BAN_SECONDS", defaultSipBanSettings.banMs / 1000, 1, 365 * 86_400) * 1000,
    exempt,
  };
}

/**
 * The source of a failed authentication, from the event's RemoteAddress
 * (`IPV4/UDP/203.0.113.7/5060`, `IPV6/TCP/2001:db8::1/5061`); null when the
 * event is not one or names no address.
 */
export function failedSource(event: AmiEvent): string | null {
  if (!authFailureEvents.has(event.event)) return null;
  const parts = (header(event, "RemoteAddress") ?? "").split("/");
  if (parts.length < 4) return null;
  const address = parts.slice(2, -1).join("/");
  return isIP(address) === 0 ? null : address.toLowerCase();
}

export interface SipBanLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** What the watch listens to: the server's one AMI connection. */
export interface AmiEventSource {
  on(event: "event", listener: (event: AmiEvent) => void): unknown;
}

/** Addresses tracked at once; past it the quiet ones are forgotten first. */
const maxTracked = 10_000;

/**
 * Counts failed authentications per source address from Asterisk's security events
 * and bans an address that fails `maxFailures` times within `windowMs`. Counting is
 * in memory (a failure costs no write); the ban itself is written to the database,
 * from which the ACL job writes every Asterisk's ACL (sip-ban-acl.ts).
 */
export class SipBanWatch {
  readonly #db: Knex;
  readonly #settings: SipBanSettings;
  readonly #now: () => number;
  readonly #log: SipBanLog;
  readonly #exempt: ReadonlySet<string>;
  /** Failure times per address, oldest first, within the window. */
  readonly #failures = new Map<string, number[]>();
  /** Addresses whose ban is being written: their further failures wait for it. */
  readonly #banning = new Set<string>();

  readonly #onBan: ((ban: SipBan) => void) | undefined;

  /** `onBan`: after a ban is written (the ACL is rewritten at once rather than at its next check). */
  constructor(options: { db: Knex; settings: SipBanSettings; now: () => number; log: SipBanLog; onBan?: (ban: SipBan) => void }) {
    this.#onBan = options.onBan;
    this.#db = options.db;
    this.#settings = options.settings;
    this.#now = options.now;
    this.#log = options.log;
    this.#exempt = new Set(options.settings.exempt);
  }

  attach(source: AmiEventSource): void {
    source.on("event", (event) => {
      const address = failedSource(event);
      if (address === null) return;
      this.failed(address).catch((error: unknown) =>
        this.#log.error({ address, err: error instanceof Error ? error.message : String(error) }, "sip bans: the ban was not written"),
      );
    });
  }

  /** One failed authentication from `address`; resolves with the ban it caused, if any. */
  async failed(address: string): Promise<SipBan | null> {
    if (this.#exempt.has(address) || this.#banning.has(address)) return null;
    const now = this.#now();
    const since = now - this.#settings.windowMs;
    const times = (this.#failures.get(address) ?? []).filter((at) => at > since);
    times.push(now);
    this.#failures.delete(address);
    this.#failures.set(address, times);
    if (this.#failures.size > maxTracked) this.#forgetQuiet(since);
    if (times.length < this.#settings.maxFailures) return null;

    this.#banning.add(address);
    this.#failures.delete(address);
    try {
      const ban = await banSipAddress(this.#db, { address, failures: times.length, firstFailureAt: times[0] ?? now, now, durationMs: this.#settings.banMs });
      if (ban !== null) {
        this.#log.warn({ address, failures: ban.failures, until: new Date(ban.bannedUntil).toISOString() }, "sip bans: address banned after failed authentications");
        this.#onBan?.(ban);
      }
      return ban;
    } finally {
      this.#banning.delete(address);
    }
  }

  /** Drops addresses with no failure in the window, then the least recent ones (Map order) down to the limit. */
  #forgetQuiet(since: number): void {
    for (const [address, times] of this.#failures) {
      if ((times.at(-1) ?? 0) <= since) this.#failures.delete(address);
    }
    for (const address of this.#failures.keys()) {
      if (this.#failures.size <= maxTracked) break;
      this.#failures.delete(address);
    }
  }
}
