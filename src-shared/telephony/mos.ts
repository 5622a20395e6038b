/**
 * Call quality as an estimated mean opinion score, from the simplified ITU-T
 * G.107 E-model commonly used for WebRTC (no codec impairment table):
 *
 *   effectiveLatency = rtt / 2 + 2 × jitter + 10 ms          (one-way delay + jitter buffer + codec)
 *   R = 93.2 − (effectiveLatency < 160 ? effectiveLatency / 40 : (effectiveLatency − 120) / 10)
 *            − 2.5 × packetLoss%                             (clamped to 0…100)
 *   MOS = 1 + 0.035 R + 7·10⁻⁶ R (R − 60)(100 − R)          (clamped to 1…4.5)
 *
 * A clean loopback call scores about 4.4. Thresholds shown to the user:
 * good ≥ 4.0 (R ≈ 80, "satisfied"), fair ≥ 3.6 (R ≈ 70, "some users
 * dissatisfied"), poor below.
 */
export const mosThresholds = { good: 4.0, fair: 3.6 } as const;

export type QualityLevel = "good" | "fair" | "poor";

export interface NetworkFigures {
  rttMs: number;
  jitterMs: number;
  /** Share of packets lost in the measured interval, 0…100. */
  lossPercent: number;
}

export function rFactor({ rttMs, jitterMs, lossPercent }: NetworkFigures): number {
  const effectiveLatency = known(rttMs) / 2 + 2 * known(jitterMs) + 10;
  const delayImpairment = effectiveLatency < 160 ? effectiveLatency / 40 : (effectiveLatency - 120) / 10;
  const r = 93.2 - delayImpairment - 2.5 * Math.min(100, known(lossPercent));
  return clamp(r, 0, 100);
}

export function estimateMos(figures: NetworkFigures): number {
  const r = rFactor(figures);
  const mos = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
  return clamp(mos, 1, 4.5);
}

export function qualityLevel(mos: number): QualityLevel {
  if (mos >= mosThresholds.good) return "good";
  if (mos >= mosThresholds.fair) return "fair";
  return "poor";
}

/** A figure the stats did not give (NaN, negative) impairs nothing rather than poisoning the score. */
function known(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

function clamp(value: number, low: number, high: number): number {
  return Number.isFinite(value) ? Math.min(high, Math.max(low, value)) : low;
}
