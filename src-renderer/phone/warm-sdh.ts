import { Invitation, Web, type SessionDescriptionHandlerModifier } from "sip.js";
import type { BodyAndContentType, Session, SessionDescriptionHandlerFactory, UserAgent } from "sip.js";

type Options = Web.SessionDescriptionHandlerOptions;
type Logger = ConstructorParameters<typeof Web.SessionDescriptionHandler>[0];

/**
 * A SessionDescriptionHandler that can make its offer before the user dials:
 * an audio transceiver without a track, ICE candidates gathered, DTLS ready.
 * The INVITE then leaves at once and the microphone is opened in parallel and
 * put on the already negotiated sender with replaceTrack, so the microphone
 * is only ever open during a call.
 */
export class WarmSessionDescriptionHandler extends Web.SessionDescriptionHandler {
  private preparing: Promise<void> | null = null;
  private preparedOffer = false;
  private micAttached: Promise<void> | null = null;
  /** Why the microphone could not be opened, for the call's failure message. */
  micError: Error | null = null;

  prepare(iceTimeoutMs: number): Promise<void> {
    this.preparing ??= (async () => {
      const pc = this.requirePeerConnection();
      pc.addTransceiver("audio", { direction: "sendrecv", streams: [this.localMediaStream] });
      await pc.setLocalDescription(await pc.createOffer());
      await this.waitForIceGatheringComplete(false, iceTimeoutMs);
      this.preparedOffer = true;
    })();
    return this.preparing;
  }

  override async getDescription(options?: Options, modifiers?: Array<SessionDescriptionHandlerModifier>): Promise<BodyAndContentType> {
    if (this.preparing) await this.preparing.catch(() => undefined);
    const pc = this.peerConnection;
    const fresh = this.preparedOffer && pc?.signalingState === "have-local-offer" && !options?.offerOptions?.iceRestart && !modifiers?.length;
    this.preparedOffer = false;
    if (fresh && pc.localDescription) {
      // Errors surface when the answer is applied (setDescription waits for the microphone).
      this.getLocalMediaStream().catch(() => undefined);
      return { body: pc.localDescription.sdp, contentType: "application/sdp" };
    }
    if (pc?.signalingState === "have-local-offer") await pc.setLocalDescription({ type: "rollback" });
    return super.getDescription(options, modifiers);
  }

  /** Opens the microphone once per call; later offers and answers reuse it. */
  protected override getLocalMediaStream(): Promise<void> {
    this.micAttached ??= this.mediaStreamFactory({ audio: true, video: false }, this)
      .then((stream) => this.useMicrophoneStream(stream))
      .catch((error: unknown) => {
        this.micError = error instanceof Error ? error : new Error(String(error));
        throw this.micError;
      });
    return this.micAttached;
  }

  /** Puts a new microphone track on the call (device switch), keeping the mute state. */
  async useMicrophoneStream(stream: MediaStream): Promise<void> {
    const track = stream.getAudioTracks()[0];
    if (!track) throw new Error("The microphone gave no audio track.");
    const pc = this.requirePeerConnection();
    const old = this.localMediaStream.getAudioTracks()[0];
    if (old) track.enabled = old.enabled;
    const transceiver = pc.getTransceivers().find((t) => t.receiver.track.kind === "audio" && t.direction !== "stopped");
    // Answering an incoming offer: its transceiver came from the remote description, receive-only until we send.
    if (transceiver && (transceiver.direction === "recvonly" || transceiver.direction === "inactive")) transceiver.direction = "sendrecv";
    if (transceiver) await transceiver.sender.replaceTrack(track);
    else pc.addTrack(track, this.localMediaStream);
    if (old) {
      old.stop();
      this.localMediaStream.removeTrack(old);
    }
    this.localMediaStream.addTrack(track);
  }

  get microphoneTrack(): MediaStreamTrack | null {
    return this.localMediaStream.getAudioTracks()[0] ?? null;
  }

  private requirePeerConnection(): RTCPeerConnection {
    const pc = this.peerConnection;
    if (!pc) throw new Error("Peer connection closed.");
    return pc;
  }
}

export interface SdhSettings {
  iceServers: RTCIceServer[];
  /** How long an offer waits for ICE candidates (an unreachable STUN server must not hold a call). */
  iceGatheringTimeoutMs: number;
  /** Audio constraints for the chosen microphone. */
  microphone: () => MediaTrackConstraints | true;
}

export interface WarmSdhFactory {
  factory: SessionDescriptionHandlerFactory;
  /** Prepares the next call's offer now (no-op when one is ready). */
  prewarm(userAgent: UserAgent): void;
  /** Drops the prepared offer (network changed, or signing out). */
  discard(): void;
}

export function createWarmSdhFactory(settings: SdhSettings): WarmSdhFactory {
  let warm: WarmSessionDescriptionHandler | null = null;
  const mediaStreamFactory: Web.MediaStreamFactory = () => navigator.mediaDevices.getUserMedia({ audio: settings.microphone(), video: false });
  const make = (logger: Logger) =>
    new WarmSessionDescriptionHandler(logger, mediaStreamFactory, {
      iceGatheringTimeout: settings.iceGatheringTimeoutMs,
      peerConnectionConfiguration: { iceServers: settings.iceServers, bundlePolicy: "max-bundle", rtcpMuxPolicy: "require" },
    });
  return {
    factory: (session: Session) => {
      // An incoming call answers the PBX's offer: a handler that already made its own offer cannot.
      if (session instanceof Invitation) return make(session.userAgent.getLogger("sip.SessionDescriptionHandler"));
      const taken = warm ?? make(session.userAgent.getLogger("sip.SessionDescriptionHandler"));
      warm = null;
      return taken;
    },
    prewarm(userAgent) {
      if (warm) return;
      const next = make(userAgent.getLogger("sip.SessionDescriptionHandler"));
      warm = next;
      next.prepare(settings.iceGatheringTimeoutMs).catch(() => {
        // A failed warm-up costs nothing: the call falls back to the usual offer.
        if (warm === next) warm = null;
        next.close();
      });
    },
    discard() {
      warm?.close();
      warm = null;
    },
  };
}
