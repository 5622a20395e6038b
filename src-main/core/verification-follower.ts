import { z } from "zod";
import type { ActiveVerification, ConnectedNumber } from "../../src-shared/api/areas/personal";
import { drop } from "../../src-shared/assert-never";
import { ConnectedNumberReply, connectedNumberPath } from "../../src-shared/server-api/connected-number";
import { StartVerificationReply, Verification, VerificationExtension, verificationPaths, type StartVerificationBody } from "../../src-shared/server-api/verification";
import { isFinalVerificationState } from "../../src-shared/verification/verification-state";
import { getSetting, setSetting } from "./store/settings-repo";
import type { CoreContext } from "./core-context";

/** How often a live verification is read back: success shows within one interval plus a round trip. */
export const verificationPollMs = 250;
/** Once answered the code may be typed any moment: read faster so success shows well inside 0.5 s. */
export const answeredPollMs = 100;
/** After a wrong code the PBX could still read again on the same call: listen a little longer. */
const wrongCodeGraceMs = 10_000;
/** Past the server's expiry, a verification that never settled is read one last time and left. */
const expiryMarginMs = 5_000;

const extensionKey = "connectedExtension";
// Digits only: one saved by an earlier version (which took * and #) fails this and reads as none.
const StoredExtension = z.object({ number: z.string(), extension: VerificationExtension.nullable() });
type StoredExtension = z.infer<typeof StoredExtension>;

const onePath = (id: string) => verificationPaths.one.replace(":id", encodeURIComponent(id));

/**
 * The verification this device started: placed through the server, then read
 * back every 250 ms (100 ms once answered) until it ends, each change pushed to the renderer as
 * `verificationChanged`. A verified number brings the extension its call dialed
 * (as the server stored it with the verification, kept here with the number) and
 * a `connectedNumberChanged`.
 */
export class VerificationFollower {
  #active: ActiveVerification | null = null;
  #following: Promise<void> = Promise.resolve();
  #nap: { timer: NodeJS.Timeout; wake: () => void } | null = null;
  #closed = false;

  constructor(private readonly ctx: CoreContext) {
    ctx.events.on("sessionChanged", (state) => {
      if (!state.signedIn) this.#active = null;
    });
  }

  get active(): ActiveVerification | null {
    return this.#active;
  }

  async start(body: StartVerificationBody): Promise<ActiveVerification> {
    const reply = await this.ctx.session.request(StartVerificationReply, "POST", verificationPaths.start, body);
    const active: ActiveVerification = { verification: reply.verification, code: reply.code, extension: reply.verification.extension };
    if (this.#closed) return active;
    this.#active = active;
    this.ctx.events.emit("verificationChanged", active.verification);
    const following = this.#follow(active.verification.id);
    this.#following = following.catch(() => undefined);
    drop(following, (error) => console.error("[personal] following the verification failed", error));
    return active;
  }

  /** Stops following: the poll's timer is cleared now and its last read (if one is on the wire) is waited for. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#active = null;
    this.#wake();
    await this.#following;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#wake(), ms);
      timer.unref();
      this.#nap = { timer, wake: resolve };
    });
  }

  #wake(): void {
    const nap = this.#nap;
    this.#nap = null;
    if (nap === null) return;
    clearTimeout(nap.timer);
    nap.wake();
  }

  async read(id: string): Promise<Verification> {
    const verification = await this.ctx.session.request(Verification, "GET", onePath(id));
    await this.#update(verification);
    return verification;
  }

  async cancel(id: string): Promise<Verification> {
    const verification = await this.ctx.session.request(Verification, "DELETE", onePath(id));
    await this.#update(verification);
    return verification;
  }

  async connectedNumber(): Promise<ConnectedNumber> {
    const { number, extension } = await this.ctx.session.request(ConnectedNumberReply, "GET", connectedNumberPath);
    // The server knows it since extensions are sent with the verification; this device's copy covers an older server.
    const stored = await getSetting<StoredExtension | null>(this.ctx.db, extensionKey, StoredExtension.nullable(), null);
    const local = number !== null && stored?.number === number ? stored.extension : null;
    return { number, extension: extension ?? local, active: this.#active };
  }

  async disconnect(): Promise<ConnectedNumber> {
    await this.ctx.session.request(ConnectedNumberReply, "DELETE", connectedNumberPath);
    await setSetting(this.ctx.db, extensionKey, null);
    return this.#announceNumber();
  }

  async #follow(id: string): Promise<void> {
    let settledAt: number | null = null;
    // Measured on this clock: the server's may differ from ours.
    const startedAt = Date.now();
    for (;;) {
      const active = this.#active;
      if (active?.verification.id !== id) return;
      const { state, expiresAt, createdAt } = active.verification;
      const now = Date.now();
      if (isFinalVerificationState(state)) {
        settledAt ??= now;
        if (state !== "wrong_code" || now - settledAt >= wrongCodeGraceMs) return;
      }
      if (now - startedAt > expiresAt - createdAt + expiryMarginMs) return;
      await this.#sleep(state === "answered" ? answeredPollMs : verificationPollMs);
      // Signed out, or another verification started, while this one slept.
      if (this.#active?.verification.id !== id) return;
      try {
        await this.read(id);
      } catch (error) {
        // Offline for a moment: keep trying until the verification would have expired anyway.
        console.warn(`[personal] reading verification ${id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  async #update(verification: Verification): Promise<void> {
    const active = this.#active;
    if (active?.verification.id !== verification.id) return;
    const before = active.verification;
    if (before.state === verification.state && before.attempts === verification.attempts && before.updatedAt === verification.updatedAt) return;
    this.#active = { ...active, verification };
    this.ctx.events.emit("verificationChanged", verification);
    if (verification.state === "verified" && before.state !== "verified") {
      await setSetting(this.ctx.db, extensionKey, { number: verification.number, extension: verification.extension } satisfies StoredExtension);
      await this.#announceNumber();
      // The server wrote a user change too: the session's copy follows.
      this.ctx.syncSoon();
    }
  }

  async #announceNumber(): Promise<ConnectedNumber> {
    const connected = await this.connectedNumber();
    this.ctx.events.emit("connectedNumberChanged", connected);
    return connected;
  }
}
