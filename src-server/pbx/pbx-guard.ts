import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { CallerError } from "../../src-shared/errors";

/** The header the PBX's CURL requests carry (res_curl.conf). */
export const pbxSecretHeader = "x-caller-pbx-secret";

const loopback = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && loopback.has(address);
}

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/** Compares digests, so neither the length nor the first differing byte of the secret shows in the timing. */
function secretMatches(given: string | string[] | undefined, expectedDigest: Buffer): boolean {
  return typeof given === "string" && timingSafeEqual(digest(given), expectedDigest);
}

/**
 * Why a request may not use the PBX-facing routes (a peer neither on loopback nor one of
 * `peers`, a missing or wrong secret), or null. `peers`: the load balancer's address where
 * the PBXs reach the server through one (the scale topology).
 */
export function pbxRefusal(
  secret: string,
  peers: readonly string[] = [],
): (remoteAddress: string | undefined, givenSecret: string | string[] | undefined) => CallerError | null {
  if (secret === "") throw new Error("the PBX routes need a shared secret");
  const allowed = new Set(peers.flatMap((peer) => [peer, `::ffff:${peer}`]));
  // Hashed once: each request (every SIP request and call waits on one) hashes only what it was given.
  const expected = digest(secret);
  return (remoteAddress, givenSecret) => {
    if (!isLoopback(remoteAddress) && !(remoteAddress !== undefined && allowed.has(remoteAddress))) {
      return new CallerError("forbidden", "PBX routes answer loopback peers and the configured PBX peers only");
    }
    if (!secretMatches(givenSecret, expected)) return new CallerError("unauthenticated", "Missing or wrong X-Caller-Pbx-Secret");
    return null;
  };
}

/** onRequest for the PBX-facing routes: loopback peers with the shared secret only, checked before the body is read. */
export function pbxGuard(secret: string, peers: readonly string[] = []): (request: FastifyRequest) => Promise<void> {
  const refusal = pbxRefusal(secret, peers);
  return (request) => {
    const refused = refusal(request.socket.remoteAddress, request.headers[pbxSecretHeader]);
    return refused === null ? Promise.resolve() : Promise.reject(refused);
  };
}
