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
