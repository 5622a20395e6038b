import type { AmiClient } from "./ami-client";
import type { AmiMessage } from "./ami-message";

export interface OriginateRequest {
  channel: string;
  /** Either a dialplan target for the answered channel... */
  context?: string;
  exten?: string;
  priority?: number;
  /** ...or an application it runs. */
  application?: string;
  data?: string;
  callerId?: string;
  variables?: Record<string, string>;
  ringTimeoutMs?: number;
  /**
   * true (default): resolves once Asterisk queued the call; its outcome arrives
   * as an OriginateResponse event carrying the response's ActionID.
   * false: resolves when the call is answered, rejects when it fails.
   */
  async?: boolean;
}

/**
 * Originate is not idempotent: a rejection with `ami_connection_lost` or
 * `ami_timeout` leaves it unknown whether the phone rang, and nothing here
 * retries it.
 */
export function originate(client: AmiClient, request: OriginateRequest): Promise<AmiMessage> {
  const ringTimeoutMs = request.ringTimeoutMs ?? 30_000;
  const isAsync = request.async ?? true;
  return client.action(
    {
      Action: "Originate",
      Channel: request.channel,
      Context: request.context,
      Exten: request.exten,
      Priority: request.priority,
      Application: request.application,
      Data: request.data,
      CallerID: request.callerId,
      Variable: request.variables,
      Timeout: ringTimeoutMs,
      Async: isAsync,
    },
    isAsync ? {} : { timeoutMs: ringTimeoutMs + 5_000 },
  );
}
