import { SessionState, type Invitation, type Web } from "sip.js";
import type { CallQualitySummary } from "../../src-shared/server-api/calls";
import { callTransition, idleCall, type CallEnd, type CallEvent, type CallState } from "./call-state";
import type { OutgoingCallHooks } from "./outgoing-call";
import { QualityMonitor } from "./quality-monitor";
import type { WarmSessionDescriptionHandler } from "./warm-sdh";
import { applyMute, dtmfAllowed, insertDtmf } from "./call-media";

/** The header [inbound-callee] puts on the INVITE: the company number the call came in on. */
export const didHeader = "X-Caller-Did";
/** The header [transfer-user-callee] puts on the INVITE of a call a teammate transferred: their name, URI-encoded. */
export const transferredByHeader = "X-Caller-Transferred-By";
/** Put by [transfer-consult-callee]: the teammate is consulting first (an attended transfer), not handing the call over yet. */
export const transferConsultHeader = "X-Caller-Transfer-Consult";
/** Put by [inbound-callee]: the server's id for a call from the trunk, which the app names the call by (a transfer finds it so). */
export const callIdHeader = "X-Caller-Call-Id";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The server's id for the call when the INVITE carries a well-formed one; else one of the app's own (a teammate's transfer has none). */
export function incomingCallId(header: string | undefined): string {
  return header !== undefined && uuid.test(header) ? header : crypto.randomUUID();
}

/** A call ringing the app, before anyone answers: what the screen pop shows. */
export interface IncomingRing {
  callId: string;
  /** The caller's number as the trunk gave it (may be empty: withheld). */
  number: string;
  /** The company number dialed. */
  did: string | null;
  /** The teammate who transferred this call here; null for a call from the trunk. */
  transferredBy: string | null;
  /** The teammate wants to talk first: the caller is on hold with them, not yet transferred. */
  consult: boolean;
  receivedAt: number;
}

export interface IncomingCallHooks extends Omit<OutgoingCallHooks, "onRingback"> {
  /** Ringing stopped without an answer here: the caller gave up, or another phone of the group answered. */
  onMissed: () => void;
}

const digitsOnly = (text: string): string => text.replace(/[^0-9+]/g, "").slice(0, 16);

/** The transferring teammate's name from the header; null when absent or not decodable. */
export function transferredByOf(value: string | undefined): string | null {
  if (value === undefined || value === "") return null;
  try {
    return decodeURIComponent(value).slice(0, 120) || null;
  } catch {
    return null;
  }
}

/**
 * One call the PBX offers the app ([from-trunk] Dials the user's endpoint):
 * it rings until answered, declined (486: the PBX moves on to the next
 * member, or to voicemail) or cancelled. Once answered it is a call like an
 * outgoing one: the phone hangs it up, mutes, holds and sends keys through it.
 */
export class IncomingCall {
  private state: CallState = idleCall;
  private quality: QualityMonitor | null = null;
  private remoteHungUp = false;
  readonly ring: IncomingRing;
  /** An incoming call's recording is the company's decision alone: the app asked nothing. */
  readonly record = false;
  /** Transferred to numbers only (pbx-config/README.md, "An incoming call"). */
  readonly direction = "inbound";
  muted = false;

  constructor(
    private readonly invitation: Invitation,
    readonly callId: string,
    private readonly hooks: IncomingCallHooks,
  ) {
    const request = invitation.request;
    const did = request.getHeader(didHeader);
    this.ring = {
      callId,
      number: digitsOnly(invitation.remoteIdentity.uri.user ?? ""),
      did: did === undefined ? null : digitsOnly(did) || null,
      transferredBy: transferredByOf(request.getHeader(transferredByHeader)),
      consult: request.getHeader(transferConsultHeader) === "1",
      receivedAt: Date.now(),
    };
    this.state = callTransition(this.state, { type: "dial", callId, number: this.ring.number, at: this.ring.receivedAt });
    invitation.delegate = { onBye: () => void (this.remoteHungUp = true) };
    invitation.stateChange.addListener((next) => {
      if (next === SessionState.Terminated) queueMicrotask(() => this.finish());
    });
  }

  get number(): string {
    return this.ring.number;
  }

  get sdh(): WarmSessionDescriptionHandler | undefined {
    return this.invitation.sessionDescriptionHandler as WarmSessionDescriptionHandler | undefined;
  }

  get answered(): boolean {
    return this.state.status !== "dialing";
  }

  /** Rings back 180 so the PBX knows the app is alerting. */
  alert(): void {
    void this.invitation.progress().catch(() => undefined);
  }

  async answer(): Promise<void> {
    if (this.state.status !== "dialing") return;
    await this.invitation.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
    // The caller gave up (or the PBX stopped ringing) while the 200 OK was on its way: nothing to connect.
    if (this.state.status !== "dialing") return;
    this.move({ type: "accepted", at: Date.now() });
    const sdh = this.sdh;
    if (!sdh) return;
    this.hooks.onRemoteStream(sdh.remoteMediaStream);
    this.setMuted(this.muted);
    this.quality = new QualityMonitor(() => this.sdh?.peerConnection, this.hooks.onQuality);
    this.quality.start();
    sdh.peerConnectionDelegate = {
      oniceconnectionstatechange: () => {
        if (sdh.peerConnection?.iceConnectionState === "failed") this.hooks.onIceLost();
      },
    };
  }

  /** 486 Busy Here: a group's other phones keep ringing; a lone user's caller goes to voicemail. */
  decline(): void {
    if (this.state.status !== "dialing") return;
    void this.invitation.reject({ statusCode: 486 }).catch(() => undefined);
  }

  hangUp(): void {
    if (this.state.status === "dialing") return this.decline();
    if (this.state.status === "ending" || this.state.status === "ended" || this.state.status === "idle") return;
    this.move({ type: "hang-up" });
    void this.invitation.bye().catch(() => this.invitation.dispose());
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    applyMute(this.sdh, muted, this.state);
  }

  async setHeld(held: boolean): Promise<void> {
    if (held ? this.state.status !== "connected" : this.state.status !== "on-hold") return;
    const options: Web.SessionDescriptionHandlerOptions = { hold: held };
    this.invitation.sessionDescriptionHandlerOptionsReInvite = options;
    await new Promise<void>((resolve, reject) => {
      this.invitation
        .invite({ sessionDescriptionHandlerOptions: options, requestDelegate: { onAccept: () => resolve(), onReject: (r) => reject(new Error(`re-INVITE refused: ${r.message.statusCode}`)) } })
        .catch(reject);
    });
    this.move(held ? { type: "hold" } : { type: "resume" });
    this.sdh?.enableReceiverTracks(!held);
    this.setMuted(this.muted);
  }

  sendDtmf(tone: string): boolean {
    return dtmfAllowed(tone, this.state) && insertDtmf(this.sdh, tone);
  }

  /** No ICE restart from the answering side: the PBX offered the session. */
  restartIce(): Promise<boolean> {
    return Promise.resolve(false);
  }

  private finish(): void {
    if (this.state.status === "ended") return;
    if (this.state.status === "dialing") {
      // Never answered here: declined, cancelled, or answered by another phone of the group.
      this.state = { ...this.state, status: "ended", connectedAt: null, endedAt: Date.now(), end: { by: "remote" } };
      this.hooks.onMissed();
      return;
    }
    const summary: CallQualitySummary | null = this.quality?.stop() ?? null;
    const end: CallEnd = this.remoteHungUp ? { by: "remote" } : this.state.status === "ending" ? { by: "local" } : { by: "failure", reason: "unknown" };
    this.move({ type: "ended", at: Date.now(), end });
    this.hooks.onFinished(summary);
  }

  private move(event: CallEvent): void {
    this.state = callTransition(this.state, event);
    this.hooks.onState(this.state);
  }
}

/** What the ringer needs of the phone. */
export interface RingerHost {
  /** A call is on: a new one is refused as busy (486). */
  busy(): boolean;
  /** The ringer tone on the ringer device. */
  ring(on: boolean): void;
  publish(ring: IncomingRing | null): void;
  /** The answered call becomes the phone's call. */
  adopt(call: IncomingCall): void;
  hooks(call: () => IncomingCall): Omit<IncomingCallHooks, "onMissed">;
}

/** At most one call rings at a time; the one ringing is answered or declined from the screen pop. */
export class IncomingRinger {
  private ringing: IncomingCall | null = null;

  constructor(private readonly host: RingerHost) {}

  offered(invitation: Invitation): void {
    if (this.host.busy() || this.ringing !== null) {
      void invitation.reject({ statusCode: 486 }).catch(() => undefined);
      return;
    }
    const call: IncomingCall = new IncomingCall(invitation, incomingCallId(invitation.request.getHeader(callIdHeader)), { ...this.host.hooks(() => call), onMissed: () => this.stopRinging(call) });
    this.ringing = call;
    call.alert();
    this.host.ring(true);
    this.host.publish(call.ring);
  }

  async answer(): Promise<void> {
    const call = this.ringing;
    if (call === null) return;
    this.stopRinging(call);
    this.host.adopt(call);
    await call.answer();
  }

  decline(): void {
    const call = this.ringing;
    if (call === null) return;
    this.stopRinging(call);
    call.decline();
  }

  private stopRinging(call: IncomingCall): void {
    if (this.ringing !== call) return;
    this.ringing = null;
    this.host.ring(false);
    this.host.publish(null);
  }
}
