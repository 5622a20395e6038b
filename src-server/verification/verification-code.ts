import { randomBytes, randomInt, scryptSync, timingSafeEqual } from "node:crypto";

export interface HashedCode {
  salt: string;
  hash: string;
}

export const codeLength = 6;

/** Six digits from the CSPRNG, leading zeros kept. */
export function newVerificationCode(): string {
  return String(randomInt(0, 10 ** codeLength)).padStart(codeLength, "0");
}

// A cheap scrypt: the code lives minutes and attempts are limited; the salt keeps a table dump from being a lookup.
const scryptCost = { N: 1024, r: 8, p: 1 };

export function hashVerificationCode(code: string, salt = randomBytes(16).toString("hex")): HashedCode {
  return { salt, hash: scryptSync(code, salt, 32, scryptCost).toString("hex") };
}

/** Constant-time on the hashes, whatever the digits' length. */
export function codeMatches(digits: string, stored: HashedCode): boolean {
  const candidate = Buffer.from(hashVerificationCode(digits, stored.salt).hash, "hex");
  const expected = Buffer.from(stored.hash, "hex");
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}
