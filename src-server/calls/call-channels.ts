import type { AmiClient } from "../pbx/ami-client";
import { header, type AmiEvent } from "../pbx/ami-message";

/** At most this many live calls are remembered (a PBX leaking Hangups cannot grow the map without bound). */
const maxCalls = 20_000;

/** A call's channels as AMI reported them, on the Asterisk that carries it. */
export interface LiveCall {
  /** The user's channel: its uniqueid is the call's pbx_uniqueid. */
  userChannel: string;
  /** The channel Dial made (towards the trunk; for an incoming call, the user's line), once DialBegin named it; the answered one after DialEnd. */
  far: { channel: string; uniqueid: string } | null;
  /** When DialEnd reported the far end's answer (the server's clock); null while it rings. */
  answeredAt: number | null;
  /** The AMI connection of the Asterisk that reported these channels: only it can act on them. */
  ami: AmiClient;
}

/**
 * The live channels of each call, by the user's channel's uniqueid: its own
 * (Newchannel), the far one Dial made (DialBegin), whether the far end
 * answered (DialEnd), forgotten at its Hangup. Attached to every PBX's AMI
 * connection, so a call is acted on through the Asterisk that reported it.
 */
export class CallChannels {
  readonly #calls = new Map<string, LiveCall>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Once per PBX. */
  attach(ami: AmiClient): void {
    ami.on("event", (event) => this.#onEvent(ami, event));
  }

  live(callUniqueid: string): LiveCall | undefined {
    return this.#calls.get(callUniqueid);
  }

  #onEvent(ami: AmiClient, event: AmiEvent): void {
    const uniqueid = header(event, "uniqueid");
    if (uniqueid === undefined || uniqueid === "") return;
    switch (event.event) {
      case "Newchannel": {
        const channel = header(event, "channel");
        if (channel === undefined) return;
        if (this.#calls.size >= maxCalls) {
          const oldest = this.#calls.keys().next();
          if (oldest.done !== true) this.#calls.delete(oldest.value);
        }
        this.#calls.set(uniqueid, { userChannel: channel, far: null, answeredAt: null, ami });
        return;
      }
      case "DialBegin": {
        const call = this.#calls.get(uniqueid);
        const channel = header(event, "destchannel");
        const destUniqueid = header(event, "destuniqueid");
        if (call !== undefined && channel !== undefined && destUniqueid !== undefined) call.far = { channel, uniqueid: destUniqueid };
        return;
      }
      case "DialEnd": {
        const call = this.#calls.get(uniqueid);
        if (call === undefined || header(event, "dialstatus") !== "ANSWER") return;
        call.answeredAt = this.#now();
        // An incoming call rings several lines (a ring group's, a user's apps): the far one is the one that answered.
        const channel = header(event, "destchannel");
        const destUniqueid = header(event, "destuniqueid");
        if (channel !== undefined && destUniqueid !== undefined) call.far = { channel, uniqueid: destUniqueid };
        return;
      }
      case "Hangup":
        this.#calls.delete(uniqueid);
        return;
      default:
        return;
    }
  }
}
