import type { QualitySample } from "../../src-shared/telephony/quality-summary";

/** What one getStats() says about the call's audio, in ms and packet counts. */
export interface CallStats {
  sample: QualitySample;
  packetsSent: number;
  /** Received audio level, 0…1 (inbound-rtp audioLevel); 0 when nothing plays. */
  inboundAudioLevel: number;
  /** Level of what the microphone sends, 0…1 (media-source audioLevel). */
  outboundAudioLevel: number;
}

type Stat = Record<string, unknown> & { type?: unknown; id?: unknown };

const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

/**
 * Reads an RTCStatsReport (any iterable of stats objects, so it can be tested
 * without a browser). RTT comes from the selected candidate pair, else from
 * the far end's RTCP receiver report; jitter and loss from inbound-rtp.
 */
export function readCallStats(report: Iterable<Stat>): CallStats {
  const stats = [...report];
  const audio = (type: string) => stats.filter((s) => s.type === type && (s.kind === "audio" || s.mediaType === "audio"));
  const inbound = audio("inbound-rtp")[0];
  const outbound = audio("outbound-rtp")[0];
  const source = audio("media-source")[0];
  const remoteInbound = audio("remote-inbound-rtp")[0];

  const transport = stats.find((s) => s.type === "transport");
  const pair =
    stats.find((s) => s.type === "candidate-pair" && s.id === transport?.selectedCandidatePairId) ??
    stats.find((s) => s.type === "candidate-pair" && s.nominated === true && s.state === "succeeded");
  const rttSeconds = num(pair?.currentRoundTripTime) ?? num(remoteInbound?.roundTripTime);

  return {
    sample: {
      rttMs: rttSeconds === null ? null : rttSeconds * 1000,
      jitterMs: (num(inbound?.jitter) ?? 0) * 1000,
      packetsReceived: num(inbound?.packetsReceived) ?? 0,
      packetsLost: Math.max(0, num(inbound?.packetsLost) ?? 0),
    },
    packetsSent: num(outbound?.packetsSent) ?? 0,
    inboundAudioLevel: num(inbound?.audioLevel) ?? 0,
    outboundAudioLevel: num(source?.audioLevel) ?? 0,
  };
}
