import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * scrypt with N=2^15, r=8, p=1 (32 MiB, ~85 ms here): stronger than Node's
 * default N=2^14 and still cheap enough for sign-in. The parameters travel with
 * each hash, so raising them later leaves old hashes readable.
 */
const current = { N: 2 ** 15, r: 8, p: 1 };
const keyLength = 32;
const saltLength = 16;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  const maxmem = 256 * (options.N ?? 0) * (options.r ?? 0) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, keyLength, { ...options, maxmem }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** `scrypt$N$r$p$salt$key`, salt and key in base64. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltLength);
  const key = await derive(password, salt, current);
  return ["scrypt", current.N, current.r, current.p, salt.toString("base64"), key.toString("base64")].join("$");
}

interface ParsedHash {
  options: { N: number; r: number; p: number };
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const [scheme, n, r, p, salt, key, ...rest] = stored.split("$");
  if (scheme !== "scrypt" || salt === undefined || key === undefined || rest.length > 0) return null;
  const options = { N: Number(n), r: Number(r), p: Number(p) };
  const sane = Object.values(options).every((v) => Number.isSafeInteger(v) && v > 0) && options.N <= 2 ** 20;
  return sane ? { options, salt: Buffer.from(salt, "base64"), key: Buffer.from(key, "base64") } : null;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (parsed === null || parsed.key.length !== keyLength) return false;
  const candidate = await derive(password, parsed.salt, parsed.options);
  return timingSafeEqual(candidate, parsed.key);
}

/**
 * A well-formed hash no password matches: verifying against it costs the same
 * scrypt work, so an unknown email takes as long as a wrong password.
 */
export const unmatchableHash = ["scrypt", current.N, current.r, current.p, randomBytes(saltLength).toString("base64"), randomBytes(keyLength).toString("base64")].join("$");
