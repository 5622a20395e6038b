import { Registerer, RegistererState, TransportState, UserAgent, type Invitation, type LogConnector } from "sip.js";
import type { SipConfig } from "../../src-shared/server-api/sip";
import { phoneRecoveryCapMs, reconnectDelay, registerRetryDelay } from "../../src-shared/phone/backoff";
import { initialRegistration, registrationTransition, type RegistrationEvent, type RegistrationProblem, type RegistrationState } from "./registration-state";
import type { WarmSdhFactory } from "./warm-sdh";
import { markStart } from "../start/start-marks";

export interface SipConnectionOptions {
  config: SipConfig;
  sdh: WarmSdhFactory;
  onRegistration: (state: RegistrationState) => void;
  /** A call the PBX offers (an incoming call); without it SIP.js answers 486. */
  onInvite?: (invitation: Invitation) => void;
  /** Gives up after this many reconnect attempts in a row (a network change or `retry()` starts over); by default it never does, so a PBX back after any outage is used within the backoff's cap. */
  maxAttempts?: number;
  random?: () => number;
}

// SIP.js logs whole messages at debug level (digest responses included): only warnings and errors, no bodies.
const quietLog: LogConnector = (level, category, _label, content) => {
  if (level === "error" || level === "warn") console.warn(`[sip] ${category}: ${content.split("\n")[0]?.slice(0, 200) ?? ""}`);
};

/**
 * The user agent, its WebSocket and its registration. After a drop it
 * reconnects with backoff and registers again; a network change (`online`,
 * connection type change) retries at once.
 */
export class SipConnection {
  readonly userAgent: UserAgent;
  private readonly registerer: Registerer;
  private state: RegistrationState = initialRegistration;
  private attempt = 0;
  /** REGISTERs the PBX turned away in a row while the connection stayed up. */
  private refusals = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(private readonly options: SipConnectionOptions) {
    const { config } = options;
    const uri = UserAgent.makeURI(config.aor);
    if (!uri) throw new Error("The PBX address of record is not a SIP URI.");
    this.userAgent = new UserAgent({
      uri,
      authorizationUsername: config.username,
      authorizationPassword: config.password,
      displayName: config.displayName,
      transportOptions: { server: config.wsUrl, connectionTimeout: 5, keepAliveInterval: 20 },
      sessionDescriptionHandlerFactory: options.sdh.factory,
      // Reconnecting is ours (backoff, network changes): SIP.js's own is off by default (0 attempts).
      logBuiltinEnabled: false,
      logLevel: "warn",
      logConnector: quietLog,
      delegate: {
        onConnect: () => this.register(),
        ...(options.onInvite ? { onInvite: options.onInvite } : {}),
        onDisconnect: (error) => {
          if (error && !this.stopped) this.scheduleReconnect();
        },
      },
    });
    this.registerer = new Registerer(this.userAgent, { expires: 300 });
    // SIP.js refreshes the registration on its own; a refresh the PBX refuses (or never answers
    // before expiry) only turns its registerer Unregistered, with no delegate to say so. The phone
    // then cannot take calls: register again (a refusal of the credentials then shows as failed).
    this.registerer.stateChange.addListener((next) => {
      if (next === RegistererState.Unregistered && !this.stopped && this.state.status === "registered") this.scheduleRegisterAgain(this.registerer.retryAfter);
    });
  }

  get registration(): RegistrationState {
    return this.state;
  }

  /** The PBX domain calls go to (the host of the address of record). */
  get domain(): string {
    return this.userAgent.configuration.uri.host;
  }

  start(): void {
    this.move({ type: "start" });
    this.userAgent.start().catch(() => this.scheduleReconnect());
  }

  /** Tries again now: the network came back, or the user asked. */
  retry(): void {
    if (this.stopped) return;
    this.attempt = 0;
    this.refusals = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.userAgent.isConnected()) {
      if (this.state.status !== "registering") this.register();
      return;
    }
    if (this.state.status === "registered") this.move({ type: "connection-lost", attempt: 1, retryAt: Date.now() });
    else if (this.state.status !== "reconnecting") this.move({ type: "start" });
    this.userAgent.reconnect().catch(() => this.scheduleReconnect());
  }

  /**
   * Opens a new WebSocket even though the current one looks connected: after a
   * network change it is tied to an address that is gone and would swallow the
   * ICE-restart re-INVITE until TCP gives up. SIP.js ignores the old socket's late close.
   */
  async renew(): Promise<void> {
    if (this.stopped) return;
    const transport = this.userAgent.transport;
    if (transport.state === TransportState.Connected) void transport.disconnect().catch(() => undefined);
    await this.userAgent.reconnect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.move({ type: "stop" });
    const bounded = <T>(p: Promise<T>) => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, 1500))]);
    if (this.userAgent.isConnected()) await bounded(this.registerer.unregister());
    await bounded(this.userAgent.stop());
  }

  private register(): void {
    if (this.stopped) return;
    if (this.state.status === "failed" || this.state.status === "unregistered") this.move({ type: "start" });
    markStart("sip-register-sent");
    this.registerer
      .register({
        requestDelegate: {
          onAccept: () => {
            // A REGISTER answered after stop() (sign-out) changes nothing.
            if (this.stopped) return;
            this.attempt = 0;
            this.refusals = 0;
            markStart("sip-registered");
            this.move({ type: "registered", at: Date.now() });
            this.options.sdh.prewarm(this.userAgent);
          },
          onReject: (response) => {
            if (this.stopped) return;
            const code = response.message.statusCode ?? 0;
            if (!isBusyAnswer(code)) {
              this.move({ type: "failed", problem: registrationProblem(code) });
              return;
            }
            // SIP.js answers 408/503 itself when the connection is gone: the reconnect that follows registers.
            // With the connection up they are the PBX's (overloaded after a restart, or silent): try again later.
            if (this.userAgent.isConnected()) this.scheduleRegisterAgain(this.registerer.retryAfter);
          },
        },
      })
      .catch(() => {
        if (!this.userAgent.isConnected()) this.scheduleReconnect();
      });
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.timer) return;
    this.attempt += 1;
    if (this.attempt > (this.options.maxAttempts ?? Infinity)) {
      this.move({ type: "failed", problem: "pbx_unreachable" });
      return;
    }
    const delay = reconnectDelay(this.attempt, this.options.random, 500, phoneRecoveryCapMs);
    this.move({ type: "connection-lost", attempt: this.attempt, retryAt: Date.now() + delay });
    this.timer = setTimeout(() => {
      this.timer = null;
      this.userAgent.reconnect().catch(() => this.scheduleReconnect());
    }, delay);
  }

  /**
   * The PBX is up but turned the REGISTER away: register again on the same connection after a
   * jittered, growing delay, so phones turned away together do not all come back together.
   * Shown as reconnecting: the phone cannot place calls until it is registered.
   */
  private scheduleRegisterAgain(retryAfterSeconds: number | undefined): void {
    if (this.stopped || this.timer) return;
    this.refusals += 1;
    const delay = registerRetryDelay(this.refusals, this.options.random, (retryAfterSeconds ?? 0) * 1_000);
    this.move({ type: "connection-lost", attempt: this.refusals, retryAt: Date.now() + delay, busy: true });
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.userAgent.isConnected()) this.register();
      else this.userAgent.reconnect().catch(() => this.scheduleReconnect());
    }, delay);
  }

  private move(event: RegistrationEvent): void {
    // A failed registration stays failed until a retry, even if the socket drops meanwhile.
    if (event.type === "connection-lost" && (this.state.status === "failed" || this.state.status === "unregistered")) return;
    this.state = registrationTransition(this.state, event);
    this.options.onRegistration(this.state);
  }
}

/** Answers that say "not now" rather than "not you": a timeout, or any 5xx (503 is what an overloaded Asterisk sends over WebSocket). */
function isBusyAnswer(statusCode: number): boolean {
  return statusCode === 408 || (statusCode >= 500 && statusCode < 600);
}

function registrationProblem(statusCode: number): RegistrationProblem {
  if (statusCode === 401 || statusCode === 403 || statusCode === 404 || statusCode === 407) return "unauthorized";
  return "pbx_error";
}
