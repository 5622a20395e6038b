import { useTranslation } from "react-i18next";
import type { UsageReply } from "../../../src-shared/server-api/credits";
import { stackUsage } from "./usage-bars";

const width = 640;
const height = 200;
const axis = 20;
const palette = ["#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#475569"];

/** Spend per day as plain SVG stacked bars, one colour per destination, with a legend. */
export function UsageChart({ byDay, money }: { byDay: UsageReply["byDay"]; money: (micros: number) => string }) {
  const { t } = useTranslation();
  const { bars, destinations } = stackUsage(byDay);
  if (bars.length === 0) return <p className="hint">{t("credits.chartEmpty")}</p>;
  const colour = (destination: string) => palette[destinations.indexOf(destination) % palette.length] ?? "#475569";
  const slot = width / bars.length;
  const barWidth = Math.max(2, Math.min(40, slot * 0.7));
  const plot = height - axis;
  return (
    <figure className="usage-chart">
      <figcaption>{t("credits.chartTitle")}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={t("credits.chartTitle")} data-testid="usage-chart">
        {bars.map((bar, i) => {
          const x = i * slot + (slot - barWidth) / 2;
          return (
            <g key={bar.day} data-day={bar.day}>
              {bar.segments.map((segment) => (
                <rect
                  key={segment.destination}
                  x={x}
                  y={plot - segment.y1 * plot}
                  width={barWidth}
                  height={Math.max(0.5, (segment.y1 - segment.y0) * plot)}
                  fill={colour(segment.destination)}
                >
                  <title>{`${bar.day} · ${segment.destination} · ${money(segment.costMicros)}`}</title>
                </rect>
              ))}
              {(bars.length <= 16 || i % Math.ceil(bars.length / 16) === 0) && (
                <text x={x + barWidth / 2} y={height - 5} textAnchor="middle" fontSize="10">
                  {bar.day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="usage-legend">
        {destinations.map((destination) => (
          <li key={destination}>
            <span className="swatch" style={{ background: colour(destination) }} aria-hidden="true" />
            {destination}
          </li>
        ))}
      </ul>
    </figure>
  );
}
