// Runs inside Chromium (bundled by bare-sipjs.ts): the plainest SIP.js call,
// SIP.js defaults plus the same ICE settings as the app, as the bench's baseline.
import { Inviter, Registerer, SessionState, UserAgent, Web } from "sip.js";

let ua: UserAgent | null = null;
let session: Inviter | null = null;

export interface BareTiming {
  ringingMs: number | null;
  establishedMs: number | null;
  failedStatus: number | null;
  failedReason: string | null;
}

/** A live stream of the sum of these sine waves. */
function toneStream(hz: readonly number[]): MediaStream {
  const context = new AudioContext();
  const out = context.createMediaStreamDestination();
  for (const f of hz) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = f;
    gain.gain.value = 0.3;
    oscillator.connect(gain).connect(out);
    oscillator.start();
  }
  void context.resume();
  return out.stream;
}

const api = {
  async register(options: { wsUrl: string; aor: string; username: string; password: string; toneHz?: readonly number[] }): Promise<void> {
    const uri = UserAgent.makeURI(options.aor);
    if (!uri) throw new Error("bad aor");
    const tone = options.toneHz;
    ua = new UserAgent({
      uri,
      authorizationUsername: options.username,
      authorizationPassword: options.password,
      transportOptions: { server: options.wsUrl },
      // With toneHz the "microphone" is those sine waves (a DTMF pair a Goertzel detector can name), not Chromium's fake device.
      sessionDescriptionHandlerFactory: Web.defaultSessionDescriptionHandlerFactory(tone === undefined ? undefined : () => Promise.resolve(toneStream(tone))),
      sessionDescriptionHandlerFactoryOptions: { iceGatheringTimeout: 500, peerConnectionConfiguration: { iceServers: [] } },
      logLevel: "error",
    });
    await ua.start();
    const registerer = new Registerer(ua);
    await new Promise<void>((resolve, reject) => {
      void registerer.register({ requestDelegate: { onAccept: () => resolve(), onReject: (r) => reject(new Error(`REGISTER ${r.message.statusCode}`)) } });
    });
  },
  /** Dials and resolves once established (or failed), with dial → 180/183 and dial → 200 in ms. */
  call(number: string, extraHeaders: string[] = []): Promise<BareTiming> {
    if (!ua) throw new Error("not registered");
    const target = UserAgent.makeURI(`sip:${number}@${ua.configuration.uri.host}`);
    if (!target) throw new Error("bad target");
    const inviter = new Inviter(ua, target, { extraHeaders, sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
    session = inviter;
    const started = performance.now();
    const timing: BareTiming = { ringingMs: null, establishedMs: null, failedStatus: null, failedReason: null };
    return new Promise((resolve) => {
      inviter.stateChange.addListener((state) => {
        if (state === SessionState.Terminated) resolve(timing);
      });
      void inviter.invite({
        requestDelegate: {
          onProgress: () => void (timing.ringingMs ??= performance.now() - started),
          onAccept: () => {
            timing.establishedMs = performance.now() - started;
            resolve(timing);
          },
          onReject: (r) => {
            timing.failedStatus = r.message.statusCode ?? 0;
            timing.failedReason = r.message.getHeader("Reason") ?? null;
          },
        },
      });
    });
  },
  /** A re-INVITE in the established call; resolves with its final status. */
  reinvite(): Promise<number> {
    const current = session;
    if (current?.state !== SessionState.Established) throw new Error("no established call");
    return new Promise((resolve, reject) => {
      current
        .invite({
          requestDelegate: {
            onAccept: (r) => resolve(r.message.statusCode ?? 0),
            onReject: (r) => resolve(r.message.statusCode ?? 0),
          },
        })
        .catch(reject);
    });
  },
  /** Whether the call is still up (a BYE from the PBX ends it). */
  established(): boolean {
    return session?.state === SessionState.Established;
  },
  sendDtmf(tones: string): boolean {
    const sdh = session?.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
    return sdh?.sendDtmf(tones, { duration: 120, interToneGap: 70 }) ?? false;
  },
  async hangUp(): Promise<void> {
    const current = session;
    session = null;
    if (current?.state === SessionState.Established) await current.bye();
    else if (current && current.state !== SessionState.Terminated) await current.cancel();
  },
  async stop(): Promise<void> {
    await api.hangUp().catch(() => undefined);
    await ua?.stop();
  },
};

export type BareSipApi = typeof api;
(window as unknown as { bareSip: BareSipApi }).bareSip = api;
