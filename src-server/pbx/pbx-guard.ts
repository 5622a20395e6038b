import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { CallerError } from "../../src-shared/errors";

/** The header the PBX's CURL requests carry (res_curl.conf). */
export const pbxSecretHeader = "x-caller-pbx-secret";

const loopback = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && loopback.has(address);
}

/** Compares digests, so neither the length nor the first differing byte of the secret shows in the timing. */
export function secretMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string" || expected === "") return false;
  const digest = (text: string): Buffer => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** onRequest for the PBX-facing routes: loopback peers with the shared secret only, checked before the body is read. */
export function pbxGuard(secret: string): (request: FastifyRequest) => Promise<void> {
  return (request) => {
    if (!isLoopback(request.socket.remoteAddress)) {
      return Promise.reject(new CallerError("forbidden", "PBX routes answer loopback peers only"));
    }
    if (!secretMatches(request.headers[pbxSecretHeader], secret)) {
      return Promise.reject(new CallerError("unauthenticated", "Missing or wrong X-Caller-Pbx-Secret"));
    }
    return Promise.resolve();
  };
}
