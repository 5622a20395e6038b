import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { UsageReply } from "../../../src-shared/server-api/credits";
import { formatDuration } from "../../../src-shared/format";
import { useApi } from "../../api-context";
import { Skeleton } from "../../components/ui/spinner";
import { describeError } from "../../i18n/i18n";
import { dayEnd, dayStart, lastMonth, thisMonth } from "./period";
import { usageSeries } from "./usage-series";
import { useMoney } from "./use-money";

// recharts is large and only this panel draws with it: it loads when a period has spend to show.
const UsageChart = lazy(() => import("./usage-chart"));

type Preset = "thisMonth" | "lastMonth" | "custom";
type Period = { from: string; to: string };

/** Spend for a chosen period: by day and destination (chart), by user, by destination. */
export function UsagePanel({ currency, timeZone }: { currency: string; timeZone: string }) {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const money = useMoney(currency);
  const [preset, setPreset] = useState<Preset>("thisMonth");
  const [period, setPeriod] = useState<Period>(() => thisMonth(Date.now(), timeZone));
  const [shown, setShown] = useState<{ period: Period; usage: UsageReply } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    (range: Period) => {
      const from = dayStart(range.from, timeZone);
      const to = dayEnd(range.to, timeZone);
      if (from === null || to === null) return;
      setError(null);
      api
        .getUsage({ from, to })
        .then((usage) => setShown({ period: range, usage }))
        .catch((e: unknown) => setError(describeError(t, e)));
    },
    [api, t, timeZone],
  );
  useEffect(() => load(thisMonth(Date.now(), timeZone)), [load, timeZone]);

  const choose = (next: Preset) => {
    setPreset(next);
    if (next === "custom") return;
    const range = next === "thisMonth" ? thisMonth(Date.now(), timeZone) : lastMonth(Date.now(), timeZone);
    setPeriod(range);
    load(range);
  };

  const series = useMemo(() => (shown ? usageSeries(shown.usage.byDay, shown.period) : null), [shown]);
  const dayFormat = useMemo(() => new Intl.DateTimeFormat(i18n.language, { month: "short", day: "numeric", timeZone: "UTC" }), [i18n.language]);
  const dayLabel = useCallback((day: string) => dayFormat.format(Date.parse(`${day}T00:00:00Z`)), [dayFormat]);

  const spendRows = (rows: { key: string; name: string; calls: number; billedSeconds: number; costMicros: number }[], testId: string) => (
    <tbody data-testid={testId}>
      {rows.map((row) => (
        <tr key={row.key}>
          <td>{row.name}</td>
          <td>{row.calls}</td>
          <td>{formatDuration(row.billedSeconds, i18n.language)}</td>
          <td>{money(row.costMicros)}</td>
        </tr>
      ))}
    </tbody>
  );
  const head = (first: string) => (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col">{t("credits.calls")}</th>
        <th scope="col">{t("credits.duration")}</th>
        <th scope="col">{t("credits.cost")}</th>
      </tr>
    </thead>
  );

  return (
    <section className="usage" aria-labelledby="usage-title">
      <h3 id="usage-title">{t("credits.usageTitle")}</h3>
      <div className="usage-presets">
        <label>
          {t("usageChart.presets")}
          <select value={preset} onChange={(e) => choose(e.target.value as Preset)} data-testid="usage-preset">
            <option value="thisMonth">{t("usageChart.thisMonth")}</option>
            <option value="lastMonth">{t("usageChart.lastMonth")}</option>
            <option value="custom">{t("usageChart.custom")}</option>
          </select>
        </label>
        {preset === "custom" && (
          <form
            className="period"
            onSubmit={(e) => {
              e.preventDefault();
              load(period);
            }}
          >
            <label>
              {t("credits.from")}
              <input type="date" name="from" value={period.from} onChange={(e) => setPeriod({ ...period, from: e.target.value })} />
            </label>
            <label>
              {t("credits.to")}
              <input type="date" name="to" value={period.to} onChange={(e) => setPeriod({ ...period, to: e.target.value })} />
            </label>
            <button type="submit">{t("credits.show")}</button>
          </form>
        )}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {shown && series && (
        <>
          {series.destinations.length === 0 ? (
            <p className="hint">{t("credits.chartEmpty")}</p>
          ) : (
            <Suspense fallback={<Skeleton lines={4} />}>
              <UsageChart rows={series.rows} destinations={series.destinations} money={money} dayLabel={dayLabel} />
            </Suspense>
          )}
          <div className="spend-tables">
            <table>
              <caption>{t("credits.byUser")}</caption>
              {head(t("credits.user"))}
              {spendRows(
                shown.usage.byUser.map((row) => ({ ...row, key: String(row.userId), name: row.userName })),
                "spend-by-user",
              )}
            </table>
            <table>
              <caption>{t("credits.byDestination")}</caption>
              {head(t("credits.destination"))}
              {spendRows(
                shown.usage.byDestination.map((row) => ({ ...row, key: row.destination, name: row.destination })),
                "spend-by-destination",
              )}
            </table>
          </div>
        </>
      )}
    </section>
  );
}
