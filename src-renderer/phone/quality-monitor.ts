import type { CallQualitySummary } from "../../src-shared/server-api/calls";
import { qualityLevel, type QualityLevel } from "../../src-shared/telephony/mos";
import { scoreSample, summarizeQuality, type QualitySample, type ScoredSample } from "../../src-shared/telephony/quality-summary";
import { readCallStats, type CallStats } from "./stats-reader";

export interface LiveQuality {
  /** null until audio has arrived: nothing to judge yet. */
  mos: number | null;
  level: QualityLevel | null;
  stats: CallStats;
}

/** Polls a call's getStats() once a second while it is up; the summary goes with the call's record. */
export class QualityMonitor {
  private readonly scored: ScoredSample[] = [];
  private last: QualitySample | null = null;
  private lastRtt = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly peerConnection: () => RTCPeerConnection | undefined,
    private readonly onSample: (quality: LiveQuality) => void,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
  }

  /** Stops and returns the summary (null when no sample was taken). */
  stop(): CallQualitySummary | null {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return summarizeQuality(this.scored, this.last);
  }

  private async poll(): Promise<void> {
    const pc = this.peerConnection();
    if (!pc || pc.connectionState === "closed") return;
    const report = await pc.getStats().catch(() => null);
    if (!report) return;
    const stats = readCallStats(report.values() as Iterable<Record<string, unknown>>);
    if (stats.sample.packetsReceived === 0) {
      this.onSample({ mos: null, level: null, stats });
      return;
    }
    const scored = scoreSample(stats.sample, this.last, this.lastRtt);
    this.lastRtt = scored.rttMs;
    this.last = stats.sample;
    this.scored.push(scored);
    this.onSample({ mos: scored.mos, level: qualityLevel(scored.mos), stats });
  }
}
