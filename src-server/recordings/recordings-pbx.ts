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
  readonly #channels = new Map<string, string>();
  #ami: AmiClient | null = null;
  readonly #onHangup: (uniqueid: string) => void;

  constructor(onHangup: (uniqueid: string) => void = () => undefined) {
    this.#onHangup = onHangup;
  }

  attach(ami: AmiClient): void {
    this.#ami = ami;
    ami.on("event", (event) => this.#onEvent(event));
  }

  #onEvent(event: AmiEvent): void {
    const uniqueid = header(event, "uniqueid");
    if (uniqueid === undefined) return;
    if (event.event === "Newchannel") {
      const channel = header(event, "channel");
      if (channel === undefined) return;
      if (this.#channels.size >= maxChannels) {
        const oldest = this.#channels.keys().next();
        if (oldest.done !== true) this.#channels.delete(oldest.value);
      }
      this.#channels.set(uniqueid, channel);
    } else if (event.event === "Hangup") {
      this.#channels.delete(uniqueid);
      this.#onHangup(uniqueid);
    }
  }

  /** Silences (or brings back) both directions of the call's MixMonitor: the files keep their length, so the sides stay aligned. */
  async setMuted(uniqueid: string, muted: boolean): Promise<void> {
    if (this.#ami === null) throw new CallerError("ami_not_connected", "No PBX connection: recordings cannot be paused");
    const channel = this.#channels.get(uniqueid);
    if (channel === undefined) throw new CallerError("conflict", "The call is not live on the PBX");
    await this.#ami.action({ Action: "MixMonitorMute", Channel: channel, Direction: "both", State: muted ? "1" : "0" });
  }
}
