import { CoachingCall, type CoachingCallState } from "./coaching-call";
import type { CallQualitySummary } from "../../src-shared/server-api/calls";
import type { SipConfig } from "../../src-shared/server-api/sip";
import { checkDialable, type DialProblem } from "../../src-shared/phone/dial-check";
import { drop } from "../../src-shared/assert-never";
import { idleCall, isLive, type CallState } from "./call-state";
import { initialRegistration, type RegistrationState } from "./registration-state";
import { defaultChoice, listAudioDevices, loadChoice, microphoneConstraints, routeAudio, saveChoice, vanishedChoices, type DeviceChoice, type DeviceList, type DeviceRole, safeLocalStorage } from "./audio-devices";
import { OutgoingCall } from "./outgoing-call";
import { CallTransfers, type ConsultView } from "./consultation";
import { IncomingRinger, type IncomingCall, type IncomingRing } from "./incoming-call";
import { MediaWatchdog } from "./media-watchdog";
import type { LiveQuality } from "./quality-monitor";
import { refusedCredentialsReason, type ServerCheck } from "./refused-credentials";
import { SipConnection } from "./sip-connection";
import { ringbackTone, ringerTone, toneUrl } from "./tones";
import { createWarmSdhFactory, type WarmSdhFactory } from "./warm-sdh";

/** `microphone_lost`: the headset went and no other microphone opened, so the other party hears nothing. */
export type PhoneNotice = "headset_unplugged" | "speaker_unplugged" | "network_changed" | "microphone_lost";

/** A voicemail left on a call: while `leaving` the server may already have ended the user's leg; once `left` the app is free. */
export interface VoicemailDropState {
  callId: string;
  number: string;
  state: "leaving" | "left";
}

export interface PhoneSnapshot {
  registration: RegistrationState;
  call: CallState;
  muted: boolean;
  quality: LiveQuality | null;
  devices: DeviceList;
  choice: DeviceChoice;
  notice: PhoneNotice | null;
  /** Keys sent during this call, for the keypad's echo. */
  dtmfSent: string;
  /** The last voicemail drop, until the next dial. */
  voicemail: VoicemailDropState | null;
  /** The consultation call of an attended transfer, while the first call is held. */
  consult: ConsultView | null;
  /** A call ringing the app, not answered yet (the screen pop). */
  incoming: IncomingRing | null;
}

export interface PhoneOptions {
  /** The call is over: its quality summary (null without media) goes to the server. */
  onCallFinished: (callId: string, summary: CallQualitySummary | null) => void;
  iceGatheringTimeoutMs?: number;
  storage?: Storage | null;
  /** A fresh look at the company server, to tell a PBX refusal for lack of it from refused credentials. */
  checkServer?: () => Promise<ServerCheck>;
}

/**
 * The softphone: registration, one call at a time, devices and the network.
 * React reads it through `subscribe`/`snapshot` (useSyncExternalStore).
 */
export class Phone {
  private current: PhoneSnapshot;
  private readonly listeners = new Set<() => void>();
  private connection: SipConnection | null = null;
  private sdh: WarmSdhFactory | null = null;
  private call: OutgoingCall | IncomingCall | null = null;
  private recovering: OutgoingCall | IncomingCall | null = null;
  private readonly callAudio = new Audio();
  private readonly ringback = new Audio();
  private readonly ringer = new Audio();
  private readonly cleanups: Array<() => void> = [];
  /** Consultation and transfer of the answered call. */
  readonly transfers = new CallTransfers({
    first: () => this.call,
    firstState: () => this.current.call,
    connection: () => this.connection,
    registered: () => this.current.registration.status === "registered",
    showConsult: (consult) => this.update({ consult }),
    hear: (stream) => void (this.callAudio.srcObject = stream),
    ringback: (on) => (on ? this.playTone(this.ringback) : this.stopTone(this.ringback)),
    finished: (callId, summary) => this.options.onCallFinished(callId, summary),
  });
  /** Calls the PBX offers: they ring on the ringer device; answered, one becomes `call`. */
  private readonly ringer_ = new IncomingRinger({
    busy: () => isLive(this.current.call),
    ring: (on) => (on ? this.playTone(this.ringer) : this.stopTone(this.ringer)),
    publish: (incoming) => this.update({ incoming }),
    adopt: (call) => {
      this.call = call;
      this.update({ muted: false, quality: null, notice: null, dtmfSent: "", voicemail: null });
    },
    hooks: (call) => ({
      onState: (state) => this.call === call() && this.update({ call: state }),
      onQuality: (quality) => this.call === call() && this.update({ quality }),
      onRemoteStream: (stream) => this.playCallAudio(stream),
      onFinished: (summary) => this.options.onCallFinished(call().callId, summary),
      onIceLost: () => undefined,
    }),
  });
  /** The user's recording choice for the next call (default on); back to on after each dial. */
  recordNextCall = true;

  constructor(private readonly options: PhoneOptions) {
    const storage = options.storage === undefined ? safeLocalStorage() : options.storage;
    this.current = { registration: initialRegistration, call: idleCall, muted: false, quality: null, devices: { microphones: [], speakers: [] }, choice: loadChoice(storage), notice: null, dtmfSent: "", voicemail: null, consult: null, incoming: null };
    this.callAudio.autoplay = true;
    this.ringback.src = toneUrl(ringbackTone);
    this.ringback.loop = true;
    this.ringer.src = toneUrl(ringerTone);
    this.ringer.loop = true;
    this.listen(window, "online", () => this.networkChanged());
    const connection = (navigator as Navigator & { connection?: EventTarget }).connection;
    if (connection) this.listen(connection, "change", () => this.networkChanged());
    if (navigator.mediaDevices) this.listen(navigator.mediaDevices, "devicechange", () => drop(this.devicesChanged()));
    drop(this.refreshDevices());
    drop(this.applySinks());
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): PhoneSnapshot => this.current;

  start(config: SipConfig): void {
    if (this.connection) return;
    this.sdh = createWarmSdhFactory({
      iceServers: config.iceServers,
      iceGatheringTimeoutMs: this.options.iceGatheringTimeoutMs ?? 500,
      microphone: () => microphoneConstraints(this.current.choice.microphone),
    });
    const connection = new SipConnection({ config, sdh: this.sdh, onRegistration: (registration) => this.registrationChanged(connection, registration), onInvite: (invitation) => this.ringer_.offered(invitation) });
    this.connection = connection;
    connection.start();
  }

  retry(): void {
    this.connection?.retry();
  }

  async stop(): Promise<void> {
    this.transfers.end();
    this.call?.hangUp();
    this.ringer_.decline();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.sdh?.discard();
    await this.connection?.stop();
    this.connection = null;
    this.stopTone(this.ringback);
    this.stopTone(this.ringer);
  }

  /** Joins a call as its coach (an admin): a session of its own beside the phone's call, or null when not registered. */
  coach(target: string, headers: string[], onState: (state: CoachingCallState) => void): CoachingCall | null {
    const connection = this.connection;
    if (!connection || this.current.registration.status !== "registered") return null;
    return new CoachingCall(connection.userAgent, connection.domain, target, headers, onState);
  }

  /** Dials what the user typed; returns why it refused, before anything is sent. */
  /** `callId`: the call's id chosen beforehand (the call queue writes it down before it dials). */
  dial(input: string, country: string, callId: string = crypto.randomUUID()): DialProblem | "not_registered" | "busy" | null {
    const check = checkDialable(input, country);
    if (!check.ok) return check.problem;
    if (isLive(this.current.call)) return "busy";
    const connection = this.connection;
    if (!connection || this.current.registration.status !== "registered") return "not_registered";
    const watchdog = new MediaWatchdog();
    const call: OutgoingCall = new OutgoingCall(
      connection.userAgent,
      connection.domain,
      callId,
      check.e164,
      {
        onState: (state) => {
          if (this.call !== call) return;
          if (state.status === "ended" && this.current.voicemail?.callId === call.callId && this.current.voicemail.state === "left") {
            this.update({ call: idleCall, quality: null, notice: null });
            return;
          }
          if (!this.refusedCredentials(state)) {
            this.update({ call: state });
            return;
          }
          // Shown once the server has been asked: these credentials registered a moment ago, so "sign in again" may be wrong;
          // a PBX that took the INVITE (its cached endpoint) but could not authorize it may also mean the server is down.
          const registered = (state.end.by === "failure" && state.end.reason === "authorize_failed") || this.current.registration.status === "registered";
          drop(this.explainRefusal(registered).then((reason) => this.call === call && this.update({ call: { ...state, end: { by: "failure", reason } } })));
        },
        onQuality: (quality) => {
          if (this.call !== call) return;
          this.update({ quality });
          if (watchdog.observe(quality.stats.sample.packetsReceived, Date.now(), this.current.call.status === "on-hold")) {
            drop(this.recoverCall(call), () => undefined);
          }
        },
        onRemoteStream: (stream) => this.playCallAudio(stream),
        onRingback: (on) => (on ? this.playTone(this.ringback) : this.stopTone(this.ringback)),
        onFinished: (summary) => {
          this.options.onCallFinished(call.callId, summary);
          this.sdh?.prewarm(connection.userAgent);
        },
        onIceLost: () => {
          if (this.call === call) drop(this.recoverCall(call), () => undefined);
        },
      },
      this.recordNextCall,
    );
    this.recordNextCall = true;
    this.call = call;
    this.update({ muted: false, quality: null, notice: null, dtmfSent: "", voicemail: null, consult: null });
    call.start();
    return null;
  }

  hangUp(): void {
    this.call?.hangUp();
  }

  /** The ringing call: answered, it is the phone's call like a dialed one; declined, the PBX moves on (the group's next, or voicemail). */
  answer = (): Promise<void> => this.ringer_.answer();
  decline = (): void => this.ringer_.decline();

  private playCallAudio(stream: MediaStream): void {
    if (this.callAudio.srcObject !== stream) this.callAudio.srcObject = stream;
    drop(this.callAudio.play(), () => undefined);
  }

  /**
   * Leaves a voicemail on the answered call through `send` (the core's drop).
   * The server ends the user's leg itself; once it has said yes the call
   * skips the wrap-up (the server logged "Left voicemail") and the phone is
   * idle, free for the next number. A refusal leaves the call as it was.
   */
  async leaveVoicemail<T>(send: (clientCallId: string) => Promise<T>): Promise<T> {
    const call = this.call;
    const state = this.current.call;
    if (call === null || (state.status !== "connected" && state.status !== "on-hold")) throw new Error("no answered call to leave a voicemail on");
    const leaving: VoicemailDropState = { callId: call.callId, number: state.number, state: "leaving" };
    this.update({ voicemail: leaving });
    let reply: T;
    try {
      reply = await send(call.callId);
    } catch (error) {
      if (this.current.voicemail === leaving) this.update({ voicemail: null });
      throw error;
    }
    if (this.call === call) {
      // The server's hangup is already on its way; ending the leg here too spares waiting for its BYE.
      call.hangUp();
      const ended = this.current.call.status === "ended";
      this.update({ voicemail: { ...leaving, state: "left" }, ...(ended ? { call: idleCall, quality: null, notice: null } : {}) });
    }
    return reply;
  }

  /** Whether the current call asked to be recorded. */
  get callAskedToRecord(): boolean {
    return this.call?.record ?? false;
  }

  /** The live call's audio, for taps that must not reroute it (desktop recording). */
  get callMedia(): { microphone: MediaStreamTrack | null; remote: MediaStream | null } {
    const sdh = this.call?.sdh;
    return { microphone: sdh?.microphoneTrack ?? null, remote: sdh?.remoteMediaStream ?? null };
  }

  dismiss(): void {
    if (this.current.call.status === "ended") this.update({ call: idleCall, quality: null, notice: null });
  }

  setMuted(muted: boolean): void {
    this.call?.setMuted(muted);
    this.update({ muted });
  }

  async setHeld(held: boolean): Promise<void> {
    await this.call?.setHeld(held);
  }

  sendDtmf(tone: string): void {
    if (this.call?.sendDtmf(tone)) this.update({ dtmfSent: this.current.dtmfSent + tone });
  }

  async chooseDevice(role: DeviceRole, id: string | null): Promise<void> {
    const choice = { ...this.current.choice, [role]: id };
    saveChoice(this.options.storage === undefined ? safeLocalStorage() : this.options.storage, choice);
    this.update({ choice });
    if (role === "microphone") await this.switchMicrophone();
    else await this.applySinks();
  }

  /** Rings the ringer device briefly, so the user can check where it rings. */
  testRinger(): void {
    this.playTone(this.ringer);
    setTimeout(() => this.stopTone(this.ringer), 2500);
  }

  private async switchMicrophone(): Promise<void> {
    const sdh = this.call?.sdh;
    if (!sdh || !isLive(this.current.call) || !sdh.microphoneTrack) return;
    const stream = await navigator.mediaDevices.getUserMedia({ audio: microphoneConstraints(this.current.choice.microphone), video: false });
    await sdh.useMicrophoneStream(stream);
    this.call?.setMuted(this.current.muted);
  }

  private async applySinks(): Promise<void> {
    const { speaker, ringer } = this.current.choice;
    await Promise.all([routeAudio(this.callAudio, speaker), routeAudio(this.ringback, speaker), routeAudio(this.ringer, ringer)]).catch(() => undefined);
  }

  private async refreshDevices(): Promise<DeviceList> {
    const devices = await listAudioDevices().catch(() => this.current.devices);
    this.update({ devices });
    return devices;
  }

  /** A chosen device vanished (headset unplugged): fall back to the default and say so when a call is on. */
  private async devicesChanged(): Promise<void> {
    const devices = await this.refreshDevices();
    const gone = vanishedChoices(this.current.choice, devices);
    const micEnded = this.call?.sdh?.microphoneTrack?.readyState === "ended";
    if (gone.length === 0 && !micEnded) return;
    const choice = { ...this.current.choice };
    for (const role of gone) choice[role] = defaultChoice[role];
    const inCall = isLive(this.current.call);
    const notice: PhoneNotice | null = !inCall ? null : gone.includes("microphone") || micEnded ? "headset_unplugged" : gone.includes("speaker") ? "speaker_unplugged" : null;
    this.update({ choice, notice: notice ?? this.current.notice });
    await this.applySinks();
    // No other microphone opened: "the call continues on the default microphone" would be untrue.
    if (gone.includes("microphone") || micEnded) await this.switchMicrophone().catch(() => isLive(this.current.call) && this.update({ notice: "microphone_lost" }));
  }

  private networkChanged(): void {
    if (this.call && isLive(this.current.call)) {
      drop(this.recoverCall(this.call), () => undefined);
      return;
    }
    this.connection?.retry();
    this.sdh?.discard();
    if (this.connection && this.current.registration.status === "registered") this.sdh?.prewarm(this.connection.userAgent);
  }

  /** The network under a live call changed: a fresh WebSocket first, then the ICE-restart re-INVITE over it. */
  private async recoverCall(call: OutgoingCall | IncomingCall): Promise<void> {
    // The stalled-audio watchdog and the ICE state can both call for it: one recovery at a time.
    if (this.recovering === call) return;
    this.recovering = call;
    try {
      this.update({ notice: "network_changed" });
      await this.connection?.renew();
      if (this.call === call) await call.restartIce();
    } finally {
      if (this.recovering === call) this.recovering = null;
    }
  }

  private refusedCredentials(state: CallState): state is Extract<CallState, { status: "ended" }> {
    return state.status === "ended" && state.end.by === "failure" && (state.end.reason === "unauthorized" || state.end.reason === "authorize_failed") && this.options.checkServer !== undefined;
  }

  private explainRefusal(registeredWithThem: boolean) {
    const check = this.options.checkServer;
    return check ? refusedCredentialsReason(check, registeredWithThem) : Promise.resolve("unauthorized" as const);
  }

  /** A REGISTER refused as unauthorized is published once the server has been asked why, unless the connection moved on meanwhile. */
  private registrationChanged(connection: SipConnection, registration: RegistrationState): void {
    if (registration.status !== "failed" || registration.problem !== "unauthorized" || this.options.checkServer === undefined) {
      this.update({ registration });
      return;
    }
    drop(
      this.explainRefusal(false).then((problem) => {
        if (this.connection === connection && connection.registration === registration) this.update({ registration: { status: "failed", problem: problem === "authorize_failed" ? "unauthorized" : problem } });
      }),
    );
  }

  private playTone(element: HTMLAudioElement): void {
    element.currentTime = 0;
    drop(element.play(), () => undefined);
  }

  private stopTone(element: HTMLAudioElement): void {
    element.pause();
  }

  private listen(target: EventTarget, event: string, handler: () => void): void {
    target.addEventListener(event, handler);
    this.cleanups.push(() => target.removeEventListener(event, handler));
  }

  private update(patch: Partial<PhoneSnapshot>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of this.listeners) listener();
  }
}
