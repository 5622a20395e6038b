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
