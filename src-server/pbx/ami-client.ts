import { EventEmitter } from "node:events";
import { randomBytes } from "node:crypto";
import Manager, { type ManagerInstance } from "asterisk-manager";
import { CallerError } from "../../src-shared/errors";
import { header, isAmiEvent, type AmiEvent, type AmiMessage } from "./ami-message";
import { sanitizeAction, stripLineBreaks, type AmiAction } from "./ami-sanitize";
import { nextAmiState, type AmiState, type AmiTransition } from "./ami-state";
import { backoffDelay, defaultBackoff, type BackoffOptions } from "./backoff";

export interface AmiClientOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  /** How long an action waits for its response (a synchronous Originate needs more). */
  actionTimeoutMs?: number;
  /** TCP connect plus login. */
  connectTimeoutMs?: number;
  /** Ping while connected so a silent peer counts as a drop; 0 turns it off. */
  pingIntervalMs?: number;
  backoff?: BackoffOptions;
  /** The clock `lastHeardAt` is read on. */
  now?: () => number;
}

export interface AmiClientEvents {
  state: [next: AmiState, previous: AmiState, cause: CallerError | undefined];
  event: [event: AmiEvent];
}

interface Pending {
  reject: (error: CallerError) => void;
  cancel: () => void;
}

/** A logged-in library instance, with the events that arrived with its login. */
interface Session {
  manager: ManagerInstance;
  early: AmiEvent[];
  keep: (message: AmiMessage) => void;
}

/**
 * Promise-based AMI client over `asterisk-manager`. Each TCP connection gets a
 * fresh library instance, and actions are only handed to one that is logged in:
 * the library's own hold-and-replay queue therefore never holds anything, and an
 * action in flight when the connection drops is rejected with
 * `ami_connection_lost`, never sent again. Whether to retry (an Originate would
 * ring the phone twice) is the caller's decision.
 */
export class AmiClient extends EventEmitter<AmiClientEvents> {
  readonly #options: Required<AmiClientOptions>;
  readonly #idPrefix = randomBytes(4).toString("hex");
  readonly #pending = new Map<string, Pending>();
  #state: AmiState = "disconnected";
  #manager: ManagerInstance | undefined;
  #nextId = 0;
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #pingTimer: NodeJS.Timeout | undefined;
  #lastHeardAt: number | null = null;

  constructor(options: AmiClientOptions) {
    super();
    this.#options = {
      actionTimeoutMs: 10_000,
      connectTimeoutMs: 5_000,
      pingIntervalMs: 10_000,
      backoff: defaultBackoff,
      now: Date.now,
      ...options,
      username: stripLineBreaks(options.username),
      secret: stripLineBreaks(options.secret),
    };
  }

  get state(): AmiState {
    return this.#state;
  }

  /**
   * The last sign of life of the Asterisk at the other end: the last message
   * read from it, or the moment its connection closed (a process that dies has
   * its socket closed by the kernel at that moment). After a drop on silence
   * (no Ping answer) it stays at the last message. Null before the first login.
   */
  get lastHeardAt(): number | null {
    return this.#lastHeardAt;
  }

  /** First connection. Rejects on refusal or no answer; after that, drops reconnect by themselves. */
  async connect(): Promise<void> {
    if (this.#state !== "disconnected") throw new CallerError("ami_not_connected", `connect() needs a disconnected client; it is ${this.#state}`);
    this.#move("connect");
    let session: Session;
    try {
      session = await this.#open();
    } catch (error) {
      const cause = error as CallerError;
      if (this.#isConnecting()) this.#move("failed", cause);
      throw cause;
    }
    if (!this.#isConnecting()) {
      session.manager.disconnect();
      throw new CallerError("ami_not_connected", "AMI client closed while connecting");
    }
    this.#adopt(session);
  }

  /** Sends one action; resolves with its response, rejects on an error response, timeout or drop. */
  async action(action: AmiAction, options: { timeoutMs?: number } = {}): Promise<AmiMessage> {
    const manager = this.#manager;
    if (this.#state !== "connected" || manager === undefined) {
      throw new CallerError("ami_not_connected", `AMI is ${this.#state}; ${action.Action} was not sent`);
    }
    const raw = sanitizeAction(action);
    const id = `${this.#idPrefix}-${++this.#nextId}`;
    const timeoutMs = options.timeoutMs ?? this.#options.actionTimeoutMs;
    const name = stripLineBreaks(action.Action);
    return new Promise<AmiMessage>((resolve, reject) => {
      const callback = (error: AmiMessage | undefined, response: AmiMessage): void => {
        this.#heard();
        if (!this.#settle(id)) return;
        if (error) reject(new CallerError("ami_action_failed", `${name} failed: ${header(error, "message") ?? "no message"}`));
        else resolve(response);
      };
      const timer = setTimeout(() => {
        if (this.#settle(id)) reject(new CallerError("ami_timeout", `${name} got no AMI response in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        reject,
        cancel: () => {
          clearTimeout(timer);
          manager.removeListener(id, callback);
        },
      });
      manager.action({ ...raw, actionid: id }, callback);
    });
  }

  /** Resolves once connected (now or after a reconnect); rejects after `timeoutMs` or on close. */
  waitUntilConnected(timeoutMs: number): Promise<void> {
    if (this.#state === "connected") return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onState = (next: AmiState): void => {
        if (next !== "connected" && next !== "closed") return;
        done();
        if (next === "connected") resolve();
        else reject(new CallerError("ami_not_connected", "AMI client closed"));
      };
      const timer = setTimeout(() => {
        done();
        reject(new CallerError("ami_timeout", `AMI not connected within ${timeoutMs} ms (${this.#state})`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.off("state", onState);
      };
      this.on("state", onState);
    });
  }

  /** Stops for good: pending actions reject, no further reconnects. */
  close(): void {
    if (this.#state === "closed") return;
    clearTimeout(this.#retryTimer);
    this.#stopPing();
    const manager = this.#manager;
    this.#manager = undefined;
    this.#rejectAll(new CallerError("ami_connection_lost", "AMI client closed"));
    this.#move("close");
    if (manager) this.#discard(manager);
  }

  /** A method, not a comparison, because close() may change the state across an await. */
  #isConnecting(): boolean {
    return this.#state === "connecting";
  }

  #move(transition: AmiTransition, cause?: CallerError): void {
    const previous = this.#state;
    this.#state = nextAmiState(previous, transition);
    this.emit("state", this.#state, previous, cause);
  }

  /**
   * One TCP connection and login on a fresh library instance. Events that come
   * with the login's answer (FullyBooted) are kept for `#adopt` to emit once
   * connected, so listeners hear them.
   */
  #open(): Promise<Session> {
    const { host, port, username, secret, connectTimeoutMs } = this.#options;
    const manager = Manager(undefined, undefined, username, secret, true);
    const early: AmiEvent[] = [];
    const keep = (message: AmiMessage): void => {
      if (isAmiEvent(message)) early.push(message);
    };
    manager.on("managerevent", keep);
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        manager.removeListener("close", onClose);
        manager.removeListener("error", onError);
        return true;
      };
      const fail = (cause: CallerError): void => {
        if (!finish()) return;
        this.#discard(manager);
        reject(cause);
      };
      const onClose = (): void => fail(new CallerError("ami_not_connected", `AMI at ${host}:${port} closed the connection before login`));
      const onError = (error: Error): void => fail(new CallerError("ami_not_connected", `AMI at ${host}:${port}: ${error.message}`));
      const timer = setTimeout(
        () => fail(new CallerError("ami_not_connected", `AMI at ${host}:${port} did not answer the login within ${connectTimeoutMs} ms`)),
        connectTimeoutMs,
      );
      manager.on("close", onClose);
      manager.on("error", onError);
      manager.connect(port, host, () => {
        // A connect that completes after we gave up must not leave a socket open.
        if (settled) return manager.disconnect();
        manager.login((refusal) => {
          if (refusal) return fail(new CallerError("ami_login_failed", `AMI refused the login of '${username}': ${header(refusal, "message") ?? "no reason given"}`));
          if (finish()) resolve({ manager, early, keep });
          else manager.disconnect();
        });
      });
    });
  }

  #adopt({ manager, early, keep }: Session): void {
    this.#manager = manager;
    this.#attempt = 0;
    this.#heard();
    manager.removeListener("managerevent", keep);
    manager.on("managerevent", (message: AmiMessage) => {
      this.#heard();
      if (isAmiEvent(message)) this.emit("event", message);
    });
    manager.on("close", () => {
      this.#heard();
      this.#dropped(manager, new CallerError("ami_connection_lost", "the AMI connection closed"));
    });
    this.#move("logged-in");
    this.#startPing(manager);
    for (const event of early) if (this.#manager === manager) this.emit("event", event);
  }

  #heard(): void {
    this.#lastHeardAt = this.#options.now();
  }

  #dropped(manager: ManagerInstance, cause: CallerError): void {
    if (manager !== this.#manager) return;
    this.#manager = undefined;
    this.#stopPing();
    this.#discard(manager);
    this.#rejectAll(cause);
    this.#move("dropped", cause);
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    const delay = backoffDelay(this.#attempt++, this.#options.backoff);
    this.#retryTimer = setTimeout(() => {
      this.#move("retry");
      this.#open().then(
        (session) => {
          if (this.#isConnecting()) this.#adopt(session);
          else session.manager.disconnect();
        },
        (cause: CallerError) => {
          if (!this.#isConnecting()) return;
          this.#move("retry-failed", cause);
          this.#scheduleRetry();
        },
      );
    }, delay);
  }

  #startPing(manager: ManagerInstance): void {
    const interval = this.#options.pingIntervalMs;
    if (interval <= 0) return;
    this.#pingTimer = setInterval(() => {
      this.action({ Action: "Ping" }, { timeoutMs: Math.min(interval, 5_000) }).catch((error: CallerError) => {
        if (error.code === "ami_timeout") this.#dropped(manager, new CallerError("ami_connection_lost", "AMI stopped answering Ping"));
      });
    }, interval);
  }

  #stopPing(): void {
    clearInterval(this.#pingTimer);
    this.#pingTimer = undefined;
  }

  /** Removes a pending action; false when it was already settled. */
  #settle(id: string): boolean {
    const pending = this.#pending.get(id);
    if (!pending) return false;
    this.#pending.delete(id);
    pending.cancel();
    return true;
  }

  #rejectAll(cause: CallerError): void {
    for (const [id, pending] of [...this.#pending]) {
      this.#settle(id);
      pending.reject(cause);
    }
  }

  #discard(manager: ManagerInstance): void {
    manager.removeAllListeners("managerevent");
    manager.removeAllListeners("close");
    // Before the TCP connect completes there is nothing to end; the connect callback does it.
    if (manager.isConnected()) manager.disconnect();
  }
}
