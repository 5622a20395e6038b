import type { CallState } from "./call-state";
import type { WarmSessionDescriptionHandler } from "./warm-sdh";

const dtmfTone = /^[0-9*#A-D]$/;

/** The microphone sends while the call is neither muted nor on hold; placed and taken calls alike. */
export function applyMute(sdh: WarmSessionDescriptionHandler | undefined, muted: boolean, state: CallState): void {
  const track = sdh?.microphoneTrack;
  if (track) track.enabled = !muted && state.status !== "on-hold";
}

/** Whether `tone` may be sent now: one DTMF key, on a connected call. */
export function dtmfAllowed(tone: string, state: CallState): boolean {
  return dtmfTone.test(tone) && state.status === "connected";
}

/** RFC 4733 through the peer connection; false when the far side negotiated no telephone-event. */
export function insertDtmf(sdh: WarmSessionDescriptionHandler | undefined, tone: string): boolean {
  const sender = sdh?.peerConnection?.getSenders().find((s) => s.track?.kind === "audio" || s.dtmf);
  if (!sender?.dtmf?.canInsertDTMF) return false;
  // insertDTMF replaces what is still queued: keep keys pressed in quick succession.
  sender.dtmf.insertDTMF(sender.dtmf.toneBuffer + tone, 120, 70);
  return true;
}
