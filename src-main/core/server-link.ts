import type { ServerLink } from "../../src-shared/api/areas/phone";
import { drop } from "../../src-shared/assert-never";
import { HealthReply } from "../../src-shared/server-api/health";
import { serverPaths } from "../../src-shared/server-api/paths";
import { PhoneReadinessReply, phoneReadinessPath } from "../../src-shared/server-api/phone-readiness";
import { phoneRecoveryCapMs, reconnectDelay } from "../../src-shared/phone/backoff";
import type { EventHub } from "./event-hub";
import type { SessionService } from "./session-service";

export interface ServerLinkOptions {
  /** Between probes while the server answers: how soon an outage shows (the phone says so within 2 s). */
  upIntervalMs?: number;
  /** A probe that takes longer than this counts as no answer. */
  probeTimeoutMs?: number;
  random?: () => number;
}

/**
 * Whether the company server answers, watched while a user is signed in: a
 * tiny health probe every second while it does, then tries on the phone's
 * backoff (capped at 3 s) until it answers again. Coming back, it re-reads the
 * phone's readiness facts and calls `onBack` (sync, session refresh), so
 * nothing waits for the next 15 s sync to notice.
 */
export class ServerLinkWatch {
  private state: ServerLink = { status: "checking", retryAt: null, readiness: null };
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private running = false;
  private probing: Promise<ServerLink> | null = null;

  constructor(
    private readonly session: SessionService,
    private readonly events: EventHub,
    private readonly onBack: () => void,
    private readonly options: ServerLinkOptions = {},
  ) {}

  current(): ServerLink {
    return this.state;
  }

  /** Starts watching (sign-in, app start with a session); a no-op while already watching. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    drop(this.probe());
  }

  /** Signed out or closing: no more probes, and nothing known about the next session. */
  stop(): void {
    this.running = false;
    this.clearTimer();
    this.attempt = 0;
    this.set({ status: "checking", retryAt: null, readiness: null });
  }

  /** Probes now (the user pressed Retry); the backoff starts over. */
  retry(): Promise<ServerLink> {
    if (!this.running) return Promise.resolve(this.state);
    this.attempt = 0;
    return this.probe();
  }

  /** The readiness facts may have changed (a sync brought user or ledger changes, a number was connected). */
  refreshReadiness(): void {
    if (this.running && this.state.status === "reachable") drop(this.readReadiness(), () => undefined);
  }

  private probe(): Promise<ServerLink> {
    this.probing ??= this.runProbe().finally(() => {
      this.probing = null;
    });
    return this.probing;
  }

  private async runProbe(): Promise<ServerLink> {
    this.clearTimer();
    const signedIn = this.session.signedIn;
    if (!this.running || signedIn === null) return this.state;
    try {
      await signedIn.client.request(HealthReply, "GET", serverPaths.health, { timeoutMs: this.options.probeTimeoutMs ?? 1_500 });
    } catch {
      // No answer, or an error answer (its database down): either way it cannot authorize a call.
      return this.down();
    }
    const wasUp = this.state.status === "reachable";
    this.attempt = 0;
    if (!wasUp) {
      await this.readReadiness().catch(() => undefined);
      if (this.state.status !== "unreachable") this.set({ status: "reachable", retryAt: null });
      this.onBack();
    }
    this.schedule(this.options.upIntervalMs ?? 1_000);
    return this.state;
  }

  private down(): ServerLink {
    this.attempt += 1;
    const delay = reconnectDelay(this.attempt, this.options.random, 250, phoneRecoveryCapMs);
    this.set({ status: "unreachable", retryAt: Date.now() + delay });
    this.schedule(delay);
    return this.state;
  }

  private async readReadiness(): Promise<void> {
    const readiness = await this.session.request(PhoneReadinessReply, "GET", phoneReadinessPath);
    if (!this.running) return;
    // A server without this route (older) leaves the facts unknown: the phone then goes by the PBX alone.
    this.set({ status: "reachable", retryAt: null, readiness });
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      drop(this.probe(), (e) => console.warn("[server-link] probe failed", e));
    }, delayMs);
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private set(patch: Partial<ServerLink>): void {
    const next = { ...this.state, ...patch };
    if (next.status === this.state.status && next.retryAt === this.state.retryAt && JSON.stringify(next.readiness) === JSON.stringify(this.state.readiness)) return;
    this.state = next;
    this.events.emit("serverLinkChanged", this.state);
  }
}
