import { CallerError } from "../../src-shared/errors";
import type { ServiceLog } from "../calls/calls-service";
import type { AmiClient } from "./ami-client";
import type { AmiState } from "./ami-state";

/** The sorcery memory caches pbx-config/asterisk/sorcery.conf names; a user's endpoint, auth and aor share one id. */
export const endpointCaches = ["pjsip_endpoint", "pjsip_auth", "pjsip_aor"] as const;

/** res_curl.conf's httptimeout (4 s) and a second: a realtime read in flight when a revocation commits has ended by then. */
const defaultRefetchWindowMs = 5_000;

/** What it needs of an AMI connection (an AmiClient). */
export interface EndpointCacheAmi {
  readonly state: AmiState;
  action: AmiClient["action"];
  on(event: "state", listener: (next: AmiState) => void): unknown;
}

type Client = EndpointCacheAmi;

/**
 * Drops users' endpoints from every Asterisk's realtime cache when the server
 * retires them, so a revoked endpoint is refused on its next request as it was
 * without a cache. Each PBX is told over AMI (write=system); one whose AMI is
 * down has all three caches emptied when its connection comes (back) up, since
 * it may hold an endpoint retired meanwhile.
 */
export class EndpointCache {
  readonly #clients: Client[] = [];
  readonly #log: ServiceLog;
  readonly #refetchWindowMs: number;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(options: { log: ServiceLog; refetchWindowMs?: number }) {
    this.#log = options.log;
    this.#refetchWindowMs = options.refetchWindowMs ?? defaultRefetchWindowMs;
  }

  /** An AMI connection to one PBX (each PBX's calls service's). */
  attach(client: Client): void {
    this.#clients.push(client);
    client.on("state", (next) => {
      if (next === "connected") void this.#expireAll(client);
    });
    if (client.state === "connected") void this.#expireAll(client);
  }

  /**
   * Call after the retirement is committed. Resolves with how many cached objects
   * were dropped; never rejects (the retirement stands either way). Repeated once
   * after the refetch window: a read that began before the commit may put the old
   * object back as it ends.
   */
  async expire(endpointIds: readonly string[]): Promise<number> {
    if (endpointIds.length === 0) return 0;
    const dropped = await this.#expireNow(endpointIds);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void this.#expireNow(endpointIds);
    }, this.#refetchWindowMs);
    timer.unref();
    this.#timers.add(timer);
    return dropped;
  }

  /** Forgets the pending repeats (at shutdown). */
  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  async #expireNow(endpointIds: readonly string[]): Promise<number> {
    const connected = this.#clients.filter((client) => client.state === "connected");
    if (connected.length < this.#clients.length) {
      this.#log.warn({ ami: this.#clients.map((client) => client.state) }, "a retired endpoint stays cached on a PBX whose AMI is not connected until it reconnects");
    }
    let dropped = 0;
    for (const client of connected) {
      for (const cache of endpointCaches) {
        for (const id of endpointIds) {
          try {
            await client.action({ Action: "SorceryMemoryCacheExpireObject", Cache: cache, Object: id });
            dropped += 1;
          } catch (error) {
            // "could not be expired": it was not cached there, nothing to drop.
            if (!(error instanceof CallerError && error.code === "ami_action_failed")) this.#warn(error, "a retired endpoint was not dropped from a PBX's cache");
          }
        }
      }
    }
    return dropped;
  }

  async #expireAll(client: Client): Promise<void> {
    for (const cache of endpointCaches) {
      try {
        await client.action({ Action: "SorceryMemoryCacheExpire", Cache: cache });
      } catch (error) {
        this.#warn(error, "a PBX's endpoint cache was not emptied on connect");
      }
    }
  }

  #warn(error: unknown, message: string): void {
    this.#log.warn({ err: error instanceof Error ? error.message : String(error) }, message);
  }
}
