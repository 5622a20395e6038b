// Runs inside Chromium (bundled with JsSIP by far-end.ts): the test's
// independent far end, a JsSIP WebRTC endpoint the PBX uses as its trunk.
import * as JsSIP from "jssip";
import type { RTCSession } from "jssip/lib/RTCSession";
import { createKeyDebouncer, detectKey } from "./dtmf-detector";

export type FarEndAction = { kind: "answer"; afterMs: number } | { kind: "reject"; status: number; afterMs: number } | { kind: "silent" };

export interface FarEndCall {
  id: number;
  /** The caller ID it received (From user part) and the display name. */
  fromUser: string;
  fromDisplay: string;
  /** The number the PBX dialed (Request-URI user part). */
  toUser: string;
  status: "ringing" | "answered" | "ended" | "rejected";
  endedBy: "local" | "remote" | "system" | null;
  endCause: string | null;
  receivedDtmf: string;
  connectionState: string;
  receivedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
}

export interface FarEndMedia {
  packetsReceived: number;
  packetsSent: number;
  inboundAudioLevel: number;
  outboundAudioLevel: number;
}

interface Live {
  info: FarEndCall;
  session: RTCSession;
  audio: HTMLAudioElement;
}

/** One user agent per PBX it registers with (the scale topology's every Asterisk may dial it); calls are counted across them. */
const uas: JsSIP.UA[] = [];
let action: FarEndAction = { kind: "answer", afterMs: 0 };
let dtmfReceive: "info" | "rfc4733" = "info";
let nextId = 1;
const calls: Live[] = [];

function stripTelephoneEvent(sdp: string): string {
  const pts = [...sdp.matchAll(/^a=rtpmap:(\d+) telephone-event\/\d+/gm)].map((m) => m[1]);
  if (pts.length === 0) return sdp;
  const drop = new Set(pts);
  return sdp
    .split("\r\n")
    .filter((line) => !pts.some((pt) => line.startsWith(`a=rtpmap:${pt} `) || line.startsWith(`a=fmtp:${pt} `)))
    .map((line) => (line.startsWith("m=audio ") ? line.split(" ").filter((part, i) => i < 3 || !drop.has(part)).join(" ") : line))
    .join("\r\n");
}

type Incoming = { method?: string; to_tag?: string; ruri?: { user?: string }; dialedUser?: string };

/**
 * The PBX dials the trunk as PJSIP/<number>@far-end, so the Request-URI names
 * the number; JsSIP answers 404 to any user but its own. Keep the number for
 * the test and let the request through as ours. The CANCEL of such an INVITE
 * carries the same Request-URI: without the rewrite JsSIP answered it 404 and
 * went on ringing.
 */
function acceptAnyDialedNumber(agent: JsSIP.UA, ownUser: string): void {
  const target = agent as unknown as { receiveRequest: (request: Incoming) => void };
  const receive = target.receiveRequest.bind(agent);
  target.receiveRequest = (request) => {
    if ((request.method === "INVITE" || request.method === "CANCEL") && !request.to_tag && request.ruri && request.ruri.user !== ownUser) {
      request.dialedUser = request.ruri.user;
      request.ruri.user = ownUser;
    }
    receive(request);
  };
}

function onSession(session: RTCSession, request: Incoming, outgoing = false): void {
  const info: FarEndCall = {
    id: nextId++,
    fromUser: session.remote_identity.uri.user ?? "",
    fromDisplay: session.remote_identity.display_name ?? "",
    toUser: request.dialedUser ?? request.ruri?.user ?? "",
    status: "ringing",
    endedBy: null,
    endCause: null,
    receivedDtmf: "",
    connectionState: "new",
    receivedAt: Date.now(),
    answeredAt: null,
    endedAt: null,
  };
  const audio = new Audio();
  audio.autoplay = true;
  const live: Live = { info, session, audio };
  calls.push(live);

  session.on("sdp", (e: { originator: string; type: string; sdp: string }) => {
    if (e.originator === "local" && e.type === "answer" && dtmfReceive === "info") e.sdp = stripTelephoneEvent(e.sdp);
  });
  const listen = (pc: RTCPeerConnection) => {
    pc.addEventListener("track", (t) => {
      const stream = t.streams[0] ?? new MediaStream([t.track]);
      audio.srcObject = stream;
      void audio.play().catch(() => undefined);
      listenForTones(stream, (key) => (info.receivedDtmf += key));
    });
    pc.addEventListener("connectionstatechange", () => (info.connectionState = pc.connectionState));
  };
  // A call this page places made its peer connection inside ua.call(), before this listener
  // existed: without a sink for its remote track Chromium decodes nothing (audio level 0).
  if (session.connection) listen(session.connection);
  else session.on("peerconnection", (e: { peerconnection: RTCPeerConnection }) => listen(e.peerconnection));
  session.on("newDTMF", (e: { originator: string; dtmf: { tone: string } }) => {
    if (e.originator === "remote") info.receivedDtmf += e.dtmf.tone;
  });
  session.on("accepted", () => {
    info.status = "answered";
    info.answeredAt = Date.now();
  });
  const ended = (e: { originator: string; cause: string }) => {
    if (info.status !== "rejected") info.status = "ended";
    info.endedBy = e.originator as FarEndCall["endedBy"];
    info.endCause = e.cause;
    info.endedAt = Date.now();
  };
  session.on("ended", ended);
  session.on("failed", ended);

  const current = action;
  // A call this page placed is answered (or not) by the PBX, not here.
  if (outgoing || current.kind === "silent") return;
  setTimeout(() => {
    if (session.isEnded()) return;
    if (current.kind === "answer") {
      session.answer({ mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } });
    } else {
      info.status = "rejected";
      session.terminate({ status_code: current.status });
    }
  }, current.afterMs);
}

/** Keys the PBX played as tones (trunk leg without telephone-event). */
function listenForTones(stream: MediaStream, onKey: (key: string) => void): void {
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  // ScriptProcessor is deprecated but needs no worklet file; ~21 ms blocks are what Goertzel wants here.
  const processor = context.createScriptProcessor(1024, 1, 1);
  const feed = createKeyDebouncer(onKey);
  processor.onaudioprocess = (event) => feed(detectKey(event.inputBuffer.getChannelData(0), context.sampleRate));
  source.connect(processor);
  processor.connect(context.destination);
  void context.resume();
}

const api = {
  register(options: { wsUrl: string; uri: string; password: string }): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new JsSIP.WebSocketInterface(options.wsUrl);
      const ua = new JsSIP.UA({ sockets: [socket], uri: options.uri, password: options.password, register: true, session_timers: false, register_expires: 300 });
      acceptAnyDialedNumber(ua, /^sip:([^@]+)@/.exec(options.uri)?.[1] ?? "");
      ua.on("registered", () => resolve());
      ua.on("registrationFailed", (e) => reject(new Error(`far end registration failed: ${String(e.cause)}`)));
      ua.on("newRTCSession", (e: { originator: string; session: RTCSession; request: Incoming }) => {
        if (e.originator === "remote") onSession(e.session, e.request);
      });
      uas.push(ua);
      ua.start();
    });
  },
  /** Calls `number` through the PBX as the phone network would (into from-trunk), presenting `callerId` in P-Asserted-Identity. */
  call(number: string, callerId: string): void {
    const ua = uas[0];
    if (!ua) throw new Error("not registered");
    const host = /@([^;>]+)/.exec(String((ua as unknown as { configuration: { uri: unknown } }).configuration.uri))?.[1] ?? "127.0.0.1";
    const session = ua.call(`sip:${number}@${host}`, {
      mediaConstraints: { audio: true, video: false },
      pcConfig: { iceServers: [] },
      extraHeaders: [`P-Asserted-Identity: <sip:${callerId}@${host}>`],
    });
    onSession(session, { ruri: { user: number } }, true);
  },
  setAction(next: FarEndAction, receive: "info" | "rfc4733" = "info"): void {
    action = next;
    dtmfReceive = receive;
  },
  calls(): FarEndCall[] {
    return calls.map((c) => ({ ...c.info }));
  },
  async media(): Promise<FarEndMedia> {
    const pc = calls.at(-1)?.session.connection;
    const media = { packetsReceived: 0, packetsSent: 0, inboundAudioLevel: 0, outboundAudioLevel: 0 };
    if (!pc) return media;
    for (const s of (await pc.getStats()).values() as Iterable<Record<string, unknown>>) {
      if (s.kind !== "audio") continue;
      if (s.type === "inbound-rtp") {
        media.packetsReceived = Number(s.packetsReceived ?? 0);
        media.inboundAudioLevel = Number(s.audioLevel ?? 0);
      } else if (s.type === "outbound-rtp") media.packetsSent = Number(s.packetsSent ?? 0);
      else if (s.type === "media-source") media.outboundAudioLevel = Number(s.audioLevel ?? 0);
    }
    return media;
  },
  /** RFC 4733 needs the peer connection up: digits sent at "confirmed" were lost (TELEPHONY-NOTES). */
  async sendDtmf(tones: string, transport: "rfc4733" | "info" = "rfc4733"): Promise<void> {
    const live = calls.at(-1);
    if (!live) throw new Error("no call");
    const deadline = Date.now() + 5000;
    while (live.session.connection?.connectionState !== "connected" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    live.session.sendDTMF(tones, { transportType: transport === "rfc4733" ? JsSIP.C.DTMF_TRANSPORT.RFC2833 : JsSIP.C.DTMF_TRANSPORT.INFO, duration: 120, interToneGap: 80 });
  },
  hangUp(): void {
    const live = calls.at(-1);
    if (live && !live.session.isEnded()) live.session.terminate();
  },
  async stop(): Promise<void> {
    for (const live of calls) if (!live.session.isEnded()) live.session.terminate();
    await Promise.all(
      uas.map((ua) => {
        const stopped = new Promise<void>((resolve) => {
          ua.on("unregistered", () => resolve());
          setTimeout(resolve, 1000);
        });
        ua.stop();
        return stopped;
      }),
    );
  },
};

export type FarEndApi = typeof api;
(window as unknown as { farEnd: FarEndApi }).farEnd = api;
