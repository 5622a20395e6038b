import { useTranslation } from "react-i18next";
import type { LiveQuality } from "../phone/quality-monitor";

/** The live MOS estimate (thresholds in src-shared/telephony/mos.ts), with the figures behind it. */
export function CallQuality({ quality }: { quality: LiveQuality | null }) {
  const { t } = useTranslation();
  const stats = quality?.stats;
  const details =
    quality?.mos != null && stats
      ? t("quality.details", {
          mos: quality.mos.toFixed(1),
          rtt: Math.round(stats.sample.rttMs ?? 0),
          jitter: stats.sample.jitterMs.toFixed(1),
          loss: stats.sample.packetsReceived > 0 ? ((100 * stats.sample.packetsLost) / (stats.sample.packetsReceived + stats.sample.packetsLost)).toFixed(1) : "0.0",
        })
      : undefined;
  return (
    <p
      className={`quality quality-${quality?.level ?? "waiting"}`}
      data-testid="call-quality"
      data-level={quality?.level ?? ""}
      data-mos={quality?.mos?.toFixed(2) ?? ""}
      data-packets-received={stats?.sample.packetsReceived ?? 0}
      data-packets-sent={stats?.packetsSent ?? 0}
      data-inbound-level={stats?.inboundAudioLevel ?? 0}
      data-outbound-level={stats?.outboundAudioLevel ?? 0}
      title={details}
    >
      {t("quality.label")}: {quality?.level ? t(`quality.${quality.level}`) : t("quality.waiting")}
      {details && <small> {details}</small>}
    </p>
  );
}
