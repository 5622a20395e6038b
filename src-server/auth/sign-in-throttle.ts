import { createHash } from "node:crypto";
import { isIPv6 } from "node:net";
import type { Knex } from "knex";
import { CallerError } from "../../src-shared/errors";
import { claimAttempt, forgetKey, lockedUntil, pruneIdle, refundAttempt } from "../db/sign-in-throttle-repo";

export interface ThrottleRule {
  /** Attempts in a row that go through freely; the last of them locks the next for `firstLockMs`. */
  freeAttempts: number;
  firstLockMs: number;
  /** Each further attempt in a row doubles the lock, up to this. */
  maxLockMs: number;
  /** An attempt this long after the previous one starts counting from 1 again. */
  forgetAfterMs: number;
}

/**
 * The policy. Per account (the email as typed, known or not): 5 failures in
 * a row, then a wait of 30 s, 1, 2, 4, 8 minutes, then 15 minutes after each
 * further failure; a success clears it; a day without attempts forgets it.
 * Per source address (IPv6 by /64), across accounts (password spraying): 20
 * failures, then the same waits; a success takes back only its own count (so
 * an attacker's own account cannot reset it); an hour without attempts forgets it.
 */
export const signInPolicy: { account: ThrottleRule; address: ThrottleRule } = {
  account: { freeAttempts: 5, firstLockMs: 30_000, maxLockMs: 15 * 60_000, forgetAfterMs: 24 * 60 * 60_000 },
  address: { freeAttempts: 20, firstLockMs: 30_000, maxLockMs: 15 * 60_000, forgetAfterMs: 60 * 60_000 },
};

/** Until when the n-th attempt in a row locks the key, for n = 1… (the last entry for every later one). */
export function lockSchedule(rule: ThrottleRule, now: number): number[] {
  const schedule: number[] = Array.from({ length: rule.freeAttempts - 1 }, () => 0);
  for (let lock = rule.firstLockMs; ; lock *= 2) {
    schedule.push(now + Math.min(lock, rule.maxLockMs));
    if (lock >= rule.maxLockMs) return schedule;
  }
}

/** The /64 of an IPv6 address (one subscriber's), the IPv4 of a mapped one, an IPv4 as it is. */
export function addressKey(ip: string): string {
  const plain = ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  if (!isIPv6(plain)) return plain;
  const [head = "", tail = ""] = plain.toLowerCase().split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === "" ? [] : tail.split(":");
  const groups = plain.includes("::") ? [...left, ...Array.from({ length: 8 - left.length - right.length }, () => "0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

const keyHash = (kind: "account" | "address", value: string) => createHash("sha256").update(`${kind}:${value}`).digest("hex");

export interface SignInAttempt {
  /** After the password check: a success clears the account's count and takes back the address's. */
  finish(succeeded: boolean): Promise<void>;
}

export interface SignInThrottle {
  /** Before the password check: counts the attempt, or refuses it (sign_in_throttled, with the wait) while locked. */
  begin(email: string, ip: string): Promise<SignInAttempt>;
}

/**
 * Slows password guessing to a crawl. The state is in the database, so it
 * holds across restarts and server instances, and every step is one atomic
 * statement. It never looks the account up: an unknown email is counted,
 * locked and answered exactly like a known one, with the same work.
 */
export function createSignInThrottle(db: Knex, now: () => number, policy = signInPolicy): SignInThrottle {
  return {
    async begin(email, ip) {
      const at = now();
      const keys = [
        { hash: keyHash("address", addressKey(ip)), rule: policy.address },
        { hash: keyHash("account", email.trim().toLowerCase()), rule: policy.account },
      ];
      await pruneIdle(db, at - Math.max(policy.account.forgetAfterMs, policy.address.forgetAfterMs), at);
      const counted: typeof keys = [];
      for (const key of keys) {
        const count = await claimAttempt(db, key.hash, at, { lockUntil: lockSchedule(key.rule, at), forgetBefore: at - key.rule.forgetAfterMs });
        if (count === null) {
          for (const done of counted) await refundAttempt(db, done.hash, done.rule.freeAttempts);
          throw throttled(Math.max(...(await Promise.all(keys.map((k) => lockedUntil(db, k.hash))))) - at);
        }
        counted.push(key);
      }
      const [address, account] = keys as [(typeof keys)[number], (typeof keys)[number]];
      return {
        async finish(succeeded) {
          if (!succeeded) return;
          await forgetKey(db, account.hash);
          await refundAttempt(db, address.hash, address.rule.freeAttempts);
        },
      };
    },
  };
}

function throttled(waitMs: number): CallerError {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new CallerError("sign_in_throttled", `Too many failed sign-ins: try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
}
