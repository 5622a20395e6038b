import { createHash, randomBytes } from "node:crypto";

export const sessionTtlMs = 30 * 24 * 60 * 60 * 1000;

/** 32 random bytes, base64url: what the client holds. The server keeps only its sha256. */
export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

const bearer = /^Bearer ([A-Za-z0-9_-]{20,200})$/;

/** The token from an `Authorization: Bearer …` header, or null when absent or malformed. */
export function bearerToken(header: string | undefined): string | null {
  return header === undefined ? null : (bearer.exec(header)?.[1] ?? null);
}
