import { timingSafeEqual } from "node:crypto";

/**
 * The page's credential for the core's WebSocket. Cookies ignore ports, so the
 * name carries the host's port: two hosts in one browser keep their own.
 */
export function sessionCookieName(port: number): string {
  return `caller_session_${port}`;
}

/** HttpOnly: the page's scripts never hold it; SameSite=Strict: no other site's page makes the browser send it. */
export function sessionCookieHeader(port: number, secret: string): string {
  return `${sessionCookieName(port)}=${secret}; Path=/; HttpOnly; SameSite=Strict`;
}

/** Whether the request's Cookie header carries this host's session secret. */
export function hasSessionCookie(cookieHeader: string | undefined, port: number, secret: string): boolean {
  const name = sessionCookieName(port);
  for (const part of (cookieHeader ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    if (sameSecret(part.slice(at + 1).trim(), secret)) return true;
  }
  return false;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
