/**
 * Notices a live call whose inbound audio stopped. When the network under a
 * call changes, packets stop at once but Chromium takes ~6 s to call ICE
 * "disconnected" (measured in e2e/network-change.test.ts), so this is the
 * earlier signal to renew the connection and restart ICE.
 */
export class MediaWatchdog {
  private lastCount = -1;
  private lastChangeAt = 0;
  private fired = false;

  constructor(private readonly stallMs = 1500) {}

  /** True once per stall: audio had arrived, then no packet for `stallMs` while the call was not on hold. */
  observe(packetsReceived: number, at: number, held: boolean): boolean {
    if (held || packetsReceived !== this.lastCount) {
      this.lastCount = packetsReceived;
      this.lastChangeAt = at;
      this.fired = false;
      return false;
    }
    if (this.fired || this.lastCount <= 0 || at - this.lastChangeAt < this.stallMs) return false;
    this.fired = true;
    return true;
  }
}
