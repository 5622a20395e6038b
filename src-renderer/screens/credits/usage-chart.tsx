import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DayCosts } from "./usage-series";

const palette = ["#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#475569"];
export const destinationColour = (index: number): string => palette[index % palette.length] ?? "#475569";

export interface UsageChartProps {
  rows: DayCosts[];
  destinations: string[];
  money: (micros: number) => string;
  /** "Nov 3" / "11月3日" for a "YYYY-MM-DD" day. */
  dayLabel: (day: string) => string;
}

/**
 * Spend per day as stacked bars, one colour per destination, with axes, a
 * legend and a tooltip per day. Loaded on its own (recharts is large): only
 * the credits page draws it.
 */
export default function UsageChart({ rows, destinations, money, dayLabel }: UsageChartProps) {
  const { t } = useTranslation();
  // The day's own row, not recharts' payload: every destination of that day, in the legend's order and colours.
  const tooltip = ({ active, label }: { active?: boolean; label?: unknown }) => {
    const day = rows.find((row) => row.day === label);
    if (active !== true || day === undefined) return null;
    return (
      <div className="usage-chart-tooltip" data-testid="usage-tooltip">
        <strong>{dayLabel(day.day)}</strong>
        {destinations.map((destination, index) => {
          const cost = day.costs[destination];
          return cost === undefined ? null : (
            <span key={destination}>
              <span className="swatch" style={{ background: destinationColour(index) }} aria-hidden="true" />
              {destination}: {money(cost)}
            </span>
          );
        })}
        <span>
          {t("usageChart.total")}: {money(day.totalMicros)}
        </span>
      </div>
    );
  };
  return (
    <figure className="usage-chart" data-testid="usage-chart">
      <figcaption>{t("credits.chartTitle")}</figcaption>
      <div className="usage-chart-box">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }} accessibilityLayer>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--color-border)" />
            <XAxis dataKey="day" tickFormatter={dayLabel} minTickGap={12} label={{ value: t("usageChart.axisDay"), position: "insideBottom", offset: -4 }} height={44} />
            <YAxis tickFormatter={(micros: number) => money(micros)} width={72} label={{ value: t("usageChart.axisCost"), angle: -90, position: "insideLeft", offset: -2, style: { textAnchor: "middle" } }} />
            <Tooltip content={tooltip} cursor={{ fill: "var(--color-surface-hover)" }} />
            <Legend verticalAlign="top" height={28} />
            {destinations.map((destination, index) => (
              <Bar key={destination} dataKey={(row: DayCosts) => row.costs[destination] ?? 0} name={destination} stackId="spend" fill={destinationColour(index)} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
