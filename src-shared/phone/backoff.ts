/**
 * Delay before reconnect attempt `attempt` (1-based): doubling from `baseMs`
 * up to `maxMs`, with ±20 % jitter so a PBX restart is not met by every
 * client at the same instant.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random, baseMs = 500, maxMs = 30_000): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const jitter = 0.8 + 0.4 * random();
  return Math.round(Math.min(maxMs, exponential * jitter));
}

/**
 * The longest wait between tries to reach the PBX or the company server. The
 * phone must be ready again within 5 s of either coming back: a 3 s wait plus
 * the WebSocket, REGISTER and credential fetch (well under a second on a LAN)
 * keeps that true; an outage costs one small request per client every 3 s.
 */
export const phoneRecoveryCapMs = 3_000;

/**
 * Delay before registering again after the PBX turned a REGISTER away while the connection
 * stayed up (503 or 500 from an overloaded Asterisk, or no answer in time). Every phone that
 * lost the PBX at the same moment is turned away at about the same moment, so the delay is
 * drawn from a window that doubles with each refusal (1 s, 2 s, 4 s, 8 s, then 10 s): anywhere
 * from its half to its whole, which spreads the herd over more time on each round while none
 * comes back sooner than the half. A Retry-After the PBX sent is the least it waits.
 */
export function registerRetryDelay(refusal: number, random: () => number = Math.random, retryAfterMs = 0, baseMs = 1_000, maxMs = registerRetryCapMs): number {
  const window = Math.min(maxMs, baseMs * 2 ** Math.max(0, refusal - 1));
  return Math.round(Math.max(retryAfterMs, window * (0.5 + 0.5 * random())));
}

/** The widest window of `registerRetryDelay`: an overloaded PBX answers again within seconds, and a phone turned away waits at most this long to try again. */
export const registerRetryCapMs = 10_000;
