import { Inviter, SessionState, UserAgent, type Core, type Web } from "sip.js";
import { clientCallIdHeader } from "../../src-shared/server-api/calls";
import { recordHeader } from "../../src-shared/server-api/recordings";
import type { CallQualitySummary } from "../../src-shared/server-api/calls";
import { callFailureFromResponse, type CallFailureReason } from "../../src-shared/telephony/call-failure";
import { callTransition, idleCall, type CallEnd, type CallEvent, type CallState } from "./call-state";
import { QualityMonitor, type LiveQuality } from "./quality-monitor";
import type { WarmSessionDescriptionHandler } from "./warm-sdh";
import { applyMute, dtmfAllowed, insertDtmf } from "./call-media";

export interface OutgoingCallHooks {
  onState: (state: CallState) => void;
  onQuality: (quality: LiveQuality) => void;
  /** The remote audio to play (early media or the call), once there is a peer connection. */
  onRemoteStream: (stream: MediaStream) => void;
  onRingback: (on: boolean) => void;
  onFinished: (summary: CallQualitySummary | null) => void;
  /** ICE failed, or stayed disconnected past a grace: the network under the call changed. */
  onIceLost: () => void;
}

// Chromium reports "disconnected" after ~5 s without STUN answers and may never reach "failed" when an address vanishes.
const iceLostGraceMs = 1000;


/** The INVITE's own headers: the call's id, and the user's recording choice (the server decides whether it counts). */
export function inviteHeaders(callId: string, record: boolean): string[] {
  return [`${clientCallIdHeader}: ${callId}`, `${recordHeader}: ${record ? "1" : "0"}`];
}

/** One outbound call: the INVITE with its X-Caller-Call-Id, its progress, talk, hold, DTMF and end. */
export class OutgoingCall {
  private state: CallState = idleCall;
  private readonly inviter: Inviter;
  private failure: CallFailureReason | null = null;
  private remoteHungUp = false;
  private quality: QualityMonitor | null = null;
  private iceRestarts = 0;
  private iceLostTimer: ReturnType<typeof setTimeout> | null = null;
  private inviteRequest: Core.OutgoingInviteRequest | null = null;
  /** The INVITE's CSeq when the user hung up before the call was answered: the INVITE the CANCEL was meant for. */
  private cancelledCseq: number | null = null;
  readonly direction = "outbound";
  muted = false;

  constructor(
    userAgent: UserAgent,
    domain: string,
    readonly callId: string,
    readonly number: string,
    private readonly hooks: OutgoingCallHooks,
    /** Asked to record (X-Caller-Record); the company may record anyway, or not at all. */
    readonly record = true,
    /** More INVITE headers (a teammate consultation names the call it is about). */
    moreHeaders: readonly string[] = [],
  ) {
    const target = UserAgent.makeURI(`sip:${number}@${domain}`);
    if (!target) throw new Error("Not a SIP target.");
    this.inviter = new Inviter(userAgent, target, {
      extraHeaders: [...inviteHeaders(callId, record), ...moreHeaders],
      earlyMedia: true,
      sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
      delegate: { onBye: () => void (this.remoteHungUp = true) },
    });
    this.inviter.stateChange.addListener((next) => {
      // SIP.js reports Terminated before it hands the final response to onReject: read it first.
      if (next === SessionState.Terminated) queueMicrotask(() => this.finish());
    });
  }

  get sdh(): WarmSessionDescriptionHandler | undefined {
    return this.inviter.sessionDescriptionHandler as WarmSessionDescriptionHandler | undefined;
  }

  start(): void {
    this.move({ type: "dial", callId: this.callId, number: this.number, at: Date.now() });
    performance.mark("caller:dial");
    this.inviter
      .invite({
        requestDelegate: {
          onTrying: (response) => this.trying(response),
          onProgress: (response) => this.progress(response),
          onAccept: () => this.accepted(),
          onReject: (response) => {
            this.failure = callFailureFromResponse(response.message.statusCode ?? 0, response.message.getHeader("Reason"));
          },
        },
      })
      .then((request) => void (this.inviteRequest = request))
      .catch(() => {
        // The INVITE could not even be sent: the connection to the PBX is gone.
        this.failure ??= "pbx_unreachable";
        if (this.inviter.state !== SessionState.Terminated) void this.inviter.cancel().catch(() => undefined);
        else this.finish();
      });
    const sdh = this.sdh;
    if (sdh) this.hooks.onRemoteStream(sdh.remoteMediaStream);
  }

  hangUp(): void {
    if (this.state.status === "ending" || this.state.status === "ended" || this.state.status === "idle") return;
    this.move({ type: "hang-up" });
    const established = this.inviter.state === SessionState.Established;
    if (!established) this.cancelledCseq = this.inviter.request.cseq;
    const done = established ? this.inviter.bye() : this.inviter.cancel();
    void done.catch(() => this.inviter.dispose());
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    applyMute(this.sdh, muted, this.state);
  }

  async setHeld(held: boolean): Promise<void> {
    if (held ? this.state.status !== "connected" : this.state.status !== "on-hold") return;
    await this.reinvite({ hold: held });
    this.move(held ? { type: "hold" } : { type: "resume" });
    this.sdh?.enableReceiverTracks(!held);
    this.setMuted(this.muted);
  }

  /** RFC 4733 through the peer connection; SIP INFO when the far side negotiated no telephone-event. */
  sendDtmf(tone: string): boolean {
    if (!dtmfAllowed(tone, this.state)) return false;
    if (insertDtmf(this.sdh, tone)) return true;
    const body = { contentDisposition: "render", contentType: "application/dtmf-relay", content: `Signal=${tone}\r\nDuration=120` };
    void this.inviter.info({ requestOptions: { body } }).catch(() => undefined);
    return true;
  }

  /** Re-INVITE with new ICE credentials after a network change, at most three times a call. */
  async restartIce(): Promise<boolean> {
    if ((this.state.status !== "connected" && this.state.status !== "on-hold") || this.iceRestarts >= 3) return false;
    this.iceRestarts += 1;
    await this.reinvite({ hold: this.state.status === "on-hold", offerOptions: { iceRestart: true } });
    return true;
  }

  private reinvite(options: { hold: boolean; offerOptions?: RTCOfferOptions }): Promise<void> {
    return new Promise((resolve, reject) => {
      const sdhOptions: Web.SessionDescriptionHandlerOptions = { hold: options.hold, ...(options.offerOptions ? { offerOptions: options.offerOptions } : {}) };
      // Later re-INVITEs (session refresh, the far end's) keep the hold state.
      const keepHold: Web.SessionDescriptionHandlerOptions = { hold: options.hold };
      this.inviter.sessionDescriptionHandlerOptionsReInvite = keepHold;
      this.inviter
        .invite({
          sessionDescriptionHandlerOptions: sdhOptions,
          requestDelegate: { onAccept: () => resolve(), onReject: (r) => reject(new Error(`re-INVITE refused: ${r.message.statusCode}`)) },
        })
        .catch(reject);
    });
  }

  /**
   * SIP.js holds a CANCEL until the INVITE's first provisional response, but only on the INVITE of the
   * moment: when the PBX's digest challenge (401) answers it first, SIP.js sends the INVITE again with
   * credentials and that CANCEL never goes, so the far end rang on. The new INVITE's 100 is the cue.
   */
  private trying(response: Core.IncomingResponse): void {
    if (this.cancelledCseq === null || response.message.cseq === this.cancelledCseq || !this.inviteRequest) return;
    this.cancelledCseq = response.message.cseq;
    this.inviteRequest.cancel();
  }

  private progress(response: Core.IncomingResponse): void {
    const code = response.message.statusCode ?? 0;
    if (code !== 180 && code !== 183) return;
    const earlyMedia = code === 183 && response.message.body.length > 0;
    if (this.state.status === "dialing") performance.mark("caller:ringing");
    this.move({ type: "progress", at: Date.now(), earlyMedia });
    // The user hung up as it began to ring: no ringback for a call that is going.
    if (this.state.status !== "ringing") return;
    this.hooks.onRingback(!(this.state.status === "ringing" && this.state.earlyMedia));
    const sdh = this.sdh;
    if (sdh) this.hooks.onRemoteStream(sdh.remoteMediaStream);
  }

  private accepted(): void {
    performance.mark("caller:established");
    this.hooks.onRingback(false);
    this.move({ type: "accepted", at: Date.now() });
    const sdh = this.sdh;
    if (!sdh) return;
    this.hooks.onRemoteStream(sdh.remoteMediaStream);
    this.setMuted(this.muted);
    this.quality = new QualityMonitor(() => this.sdh?.peerConnection, this.hooks.onQuality);
    this.quality.start();
    sdh.peerConnectionDelegate = { oniceconnectionstatechange: () => this.iceStateChanged(sdh.peerConnection?.iceConnectionState) };
  }

  private iceStateChanged(state: RTCIceConnectionState | undefined): void {
    if (this.iceLostTimer) clearTimeout(this.iceLostTimer);
    this.iceLostTimer = null;
    if (state === "failed") this.hooks.onIceLost();
    else if (state === "disconnected") {
      this.iceLostTimer = setTimeout(() => {
        this.iceLostTimer = null;
        this.hooks.onIceLost();
      }, iceLostGraceMs);
    }
  }

  private finish(): void {
    if (this.state.status === "ended") return;
    if (this.iceLostTimer) clearTimeout(this.iceLostTimer);
    this.hooks.onRingback(false);
    const summary = this.quality?.stop() ?? null;
    const micError = this.sdh?.micError ?? null;
    let end: CallEnd;
    if (this.failure) end = { by: "failure", reason: this.failure };
    else if (micError) end = { by: "failure", reason: "microphone_unavailable" };
    else if (this.remoteHungUp) end = { by: "remote" };
    else if (this.state.status === "ending") end = { by: "local" };
    // Terminated without a final response we saw, a BYE or our hang-up: the dialog was lost.
    else end = { by: "failure", reason: this.state.status === "dialing" ? "pbx_unreachable" : "unknown" };
    this.move({ type: "ended", at: Date.now(), end });
    this.hooks.onFinished(summary);
  }

  private move(event: CallEvent): void {
    this.state = callTransition(this.state, event);
    this.hooks.onState(this.state);
  }
}
