import { describe, expect, it } from "vitest";
import { readCallStats } from "./stats-reader";

describe("readCallStats", () => {
  it("reads RTT from the selected candidate pair and jitter, loss and levels from the RTP stats", () => {
    const stats = readCallStats([
      { type: "transport", id: "T1", selectedCandidatePairId: "CP2" },
      { type: "candidate-pair", id: "CP1", currentRoundTripTime: 0.5, nominated: false, state: "failed" },
      { type: "candidate-pair", id: "CP2", currentRoundTripTime: 0.012, nominated: true, state: "succeeded" },
      { type: "inbound-rtp", id: "I1", kind: "audio", jitter: 0.004, packetsReceived: 480, packetsLost: 20, audioLevel: 0.3 },
      { type: "outbound-rtp", id: "O1", kind: "audio", packetsSent: 500 },
      { type: "media-source", id: "M1", kind: "audio", audioLevel: 0.05 },
      { type: "remote-inbound-rtp", id: "R1", kind: "audio", roundTripTime: 0.2 },
    ]);
    expect(stats.sample.rttMs).toBeCloseTo(12);
    expect(stats.sample.jitterMs).toBeCloseTo(4);
    expect(stats.sample).toMatchObject({ packetsReceived: 480, packetsLost: 20 });
    expect(stats).toMatchObject({ packetsSent: 500, inboundAudioLevel: 0.3, outboundAudioLevel: 0.05 });
  });

  it("falls back to the far end's RTCP round trip and to zeros before media flows", () => {
    const early = readCallStats([{ type: "remote-inbound-rtp", kind: "audio", roundTripTime: 0.08 }]);
    expect(early.sample).toEqual({ rttMs: 80, jitterMs: 0, packetsReceived: 0, packetsLost: 0 });
    expect(readCallStats([]).sample.rttMs).toBeNull();
  });

  it("ignores video and counts negative loss (duplicates) as none", () => {
    const stats = readCallStats([
      { type: "inbound-rtp", kind: "video", packetsReceived: 9999 },
      { type: "inbound-rtp", kind: "audio", packetsReceived: 10, packetsLost: -2 },
    ]);
    expect(stats.sample).toMatchObject({ packetsReceived: 10, packetsLost: 0 });
  });
});
