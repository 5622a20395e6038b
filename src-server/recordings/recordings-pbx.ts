import { CallerError } from "../../src-shared/errors";
import type { AmiClient } from "../pbx/ami-client";
import { header, type AmiEvent } from "../pbx/ami-message";

/** At most this many live channels are remembered (a PBX leaking Hangups cannot grow the map without bound). */
const maxChannels = 20_000;

/**
 * The recordings' side of the AMI connection: which channel a call's uniqueid
 * is (MixMonitorMute needs the channel name), and when a call hung up (its
 * MixMonitor files are complete then).
 */
export class RecordingsPbx {
  /** uniqueid → the channel and the PBX it lives on (several PBXs: only that one can mute it). */
  readonly #channels = new Map<string, { channel: string; ami: AmiClient }>();
  #attached = false;
  readonly #onHangup: (uniqueid: string) => void;

  constructor(onHangup: (uniqueid: string) => void = () => undefined) {
    this.#onHangup = onHangup;
  }

  /** Once per PBX. */
  attach(ami: AmiClient): void {
    this.#attached = true;
    ami.on("event", (event) => this.#onEvent(ami, event));
  }

  #onEvent(ami: AmiClient, event: AmiEvent): void {
    const uniqueid = header(event, "uniqueid");
    if (uniqueid === undefined) return;
    if (event.event === "Newchannel") {
      const channel = header(event, "channel");
      if (channel === undefined) return;
      if (this.#channels.size >= maxChannels) {
        const oldest = this.#channels.keys().next();
        if (oldest.done !== true) this.#channels.delete(oldest.value);
      }
      this.#channels.set(uniqueid, { channel, ami });
    } else if (event.event === "Hangup") {
      this.#channels.delete(uniqueid);
      this.#onHangup(uniqueid);
    }
  }

  /** Silences (or brings back) both directions of the call's MixMonitor: the files keep their length, so the sides stay aligned. */
  async setMuted(uniqueid: string, muted: boolean): Promise<void> {
    if (!this.#attached) throw new CallerError("ami_not_connected", "No PBX connection: recordings cannot be paused");
    const live = this.#channels.get(uniqueid);
    if (live === undefined) throw new CallerError("conflict", "The call is not live on the PBX", { reason: "call_not_live" });
    await live.ami.action({ Action: "MixMonitorMute", Channel: live.channel, Direction: "both", State: muted ? "1" : "0" });
  }
}
