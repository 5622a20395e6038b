import type { AmiClient } from "./ami-client";
import { originate } from "./ami-originate";

/**
 * Why one idle channel sits in a long CURL on the PBX (pbx-config/asterisk/extensions.conf,
 * [autoservice-keeper]): while the dialplan's authorize CURL runs, Asterisk's autoservice
 * thread services the channel. With no other channel in its list that thread sleeps on a
 * condition; when the server answers before it wakes, it finds the list empty again and
 * sleeps 10 ms (main/autoservice.c), and autoservice_stop, hence the call, waits it out.
 * Measured: 1–2 % of authorizes took 11–12 ms, the p99. With this channel always in the list
 * the thread sits in poll(), which the stop's signal interrupts: every stop takes ~1 ms.
 */
export const keeperHoldPath = "/pbx/authorize/hold";

/** How long the server holds the keeper's request before answering; it asks again at once. */
export const keeperHoldMs = 5 * 60_000;

/** Requests held open; all answered at once when the server closes, so shutdown never waits on them. */
export class HeldRequests {
  readonly #release = new Set<() => void>();

  hold(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#release.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#release.add(done);
    });
  }

  get size(): number {
    return this.#release.size;
  }

  releaseAll(): void {
    for (const done of [...this.#release]) done();
  }
}

/**
 * Starts the keeper on every AMI login (Asterisk may have restarted without it). Safe to
 * repeat: the dialplan ends a second keeper at once, so this is not a call placed twice.
 */
export function keepAutoserviceBusy(client: AmiClient, onError: (error: unknown) => void): void {
  client.on("state", (next) => {
    if (next !== "connected") return;
    originate(client, { channel: "Local/hold@autoservice-keeper/n", context: "autoservice-keeper", exten: "idle", priority: 1, ringTimeoutMs: 10_000 }).catch(onError);
  });
}
