export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 250, maxMs: 10_000, factor: 2 };

/** Delay before reconnect attempt `attempt` (0-based): initial × factor^attempt, capped. */
export function backoffDelay(attempt: number, options: BackoffOptions = defaultBackoff): number {
  const delay = options.initialMs * options.factor ** Math.max(0, attempt);
  return Math.min(options.maxMs, Math.round(delay));
}
