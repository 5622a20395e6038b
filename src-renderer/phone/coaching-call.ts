import { Inviter, SessionState, UserAgent } from "sip.js";
import type { WarmSessionDescriptionHandler } from "./warm-sdh";

export type CoachingCallState = "joining" | "joined" | "ended" | "refused";

/**
 * An admin's coaching session: a SIP call to the PBX's coaching target with
 * the server's one-time token in a header. Kept apart from the phone's own
 * call (no call record, no outcome, no history): the admin hears the coached
 * call here and, in whisper or barge mode, talks into it.
 */
export class CoachingCall {
  private readonly audio = new Audio();
  private readonly inviter: Inviter;
  private joined = false;

  constructor(userAgent: UserAgent, domain: string, target: string, headers: string[], onState: (state: CoachingCallState) => void) {
    const uri = UserAgent.makeURI(`sip:${target}@${domain}`);
    if (!uri) throw new Error("Not a SIP target.");
    this.audio.autoplay = true;
    this.inviter = new Inviter(userAgent, uri, { extraHeaders: headers, sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } });
    this.inviter.stateChange.addListener((next) => {
      if (next === SessionState.Established) {
        this.joined = true;
        const sdh = this.inviter.sessionDescriptionHandler as WarmSessionDescriptionHandler | undefined;
        if (sdh) {
          this.audio.srcObject = sdh.remoteMediaStream;
          void this.audio.play().catch(() => undefined);
        }
        onState("joined");
      }
      if (next === SessionState.Terminated) {
        this.audio.srcObject = null;
        onState(this.joined ? "ended" : "refused");
      }
    });
    onState("joining");
    void this.inviter.invite().catch(() => onState("refused"));
  }

  hangUp(): void {
    if (this.inviter.state === SessionState.Established) void this.inviter.bye().catch(() => undefined);
    else if (this.inviter.state === SessionState.Establishing || this.inviter.state === SessionState.Initial) void this.inviter.cancel().catch(() => undefined);
  }
}
