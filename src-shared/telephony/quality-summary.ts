import type { CallQualitySummary } from "../server-api/calls";
import { estimateMos } from "./mos";

/** One reading of the call's WebRTC stats; packet counters are cumulative since the call began. */
export interface QualitySample {
  rttMs: number | null;
  jitterMs: number;
  packetsReceived: number;
  packetsLost: number;
}

export interface ScoredSample {
  mos: number;
  rttMs: number;
  jitterMs: number;
  lossPercent: number;
}

/**
 * Scores a sample against the one before it: loss is counted over the
 * interval between them, so a bad minute long ago does not colour the live
 * indicator. A missing RTT (no RTCP report yet) counts as the last known one.
 */
export function scoreSample(sample: QualitySample, previous: QualitySample | null, lastRttMs = 0): ScoredSample {
  const received = sample.packetsReceived - (previous?.packetsReceived ?? 0);
  const lost = Math.max(0, sample.packetsLost - (previous?.packetsLost ?? 0));
  const lossPercent = received + lost > 0 ? (100 * lost) / (received + lost) : 0;
  const rttMs = sample.rttMs ?? lastRttMs;
  return { mos: estimateMos({ rttMs, jitterMs: sample.jitterMs, lossPercent }), rttMs, jitterMs: sample.jitterMs, lossPercent };
}

/** The call's summary for its record: averages over the scored samples, loss over the whole call. */
export function summarizeQuality(scored: readonly ScoredSample[], last: QualitySample | null): CallQualitySummary | null {
  if (scored.length === 0) return null;
  const mean = (pick: (s: ScoredSample) => number) => scored.reduce((sum, s) => sum + pick(s), 0) / scored.length;
  const received = last?.packetsReceived ?? 0;
  const lost = Math.max(0, last?.packetsLost ?? 0);
  return {
    mosAverage: round(mean((s) => s.mos), 2),
    mosMin: round(Math.min(...scored.map((s) => s.mos)), 2),
    rttMsAverage: round(mean((s) => s.rttMs), 1),
    jitterMsAverage: round(mean((s) => s.jitterMs), 1),
    packetLossPercent: received + lost > 0 ? round((100 * lost) / (received + lost), 2) : 0,
    samples: scored.length,
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
