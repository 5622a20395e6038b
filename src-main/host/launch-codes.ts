import { createHash, randomBytes } from "node:crypto";

export interface LaunchCodes {
  /** A new code that opens the app once, within `ttlMs`. */
  mint(ttlMs: number): string;
  /** True for a live code, and only the first time: a replayed or late code is refused. */
  redeem(code: string): boolean;
}

const digest = (code: string) => createHash("sha256").update(code).digest("hex");

/**
 * One-time launch codes: what a new window trades for the session cookie.
 * Kept by digest, so looking one up compares no secret byte by byte.
 */
export function createLaunchCodes(now: () => number = Date.now): LaunchCodes {
  const live = new Map<string, number>();
  const sweep = () => {
    const at = now();
    for (const [key, expiresAt] of live) if (expiresAt <= at) live.delete(key);
  };
  return {
    mint(ttlMs) {
      sweep();
      const code = randomBytes(32).toString("base64url");
      live.set(digest(code), now() + ttlMs);
      return code;
    },
    redeem(code) {
      const key = digest(code);
      const expiresAt = live.get(key);
      live.delete(key);
      return expiresAt !== undefined && expiresAt > now();
    },
  };
}
