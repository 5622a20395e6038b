import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { UsageReply } from "../../../src-shared/server-api/credits";
import { formatDuration } from "../../../src-shared/format";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";
import { dayEnd, dayStart, thisMonth } from "./period";
import { UsageChart } from "./usage-chart";
import { useMoney } from "./use-money";

/** Spend for a chosen period: by day and destination (chart), by user, by destination. */
export function UsagePanel({ currency, timeZone }: { currency: string; timeZone: string }) {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const money = useMoney(currency);
  const [period, setPeriod] = useState(() => thisMonth(Date.now(), timeZone));
  const [usage, setUsage] = useState<UsageReply | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    (range: { from: string; to: string }) => {
      const from = dayStart(range.from, timeZone);
      const to = dayEnd(range.to, timeZone);
      if (from === null || to === null) return;
      setError(null);
      api
        .getUsage({ from, to })
        .then(setUsage)
        .catch((e: unknown) => setError(describeError(t, e)));
    },
    [api, t, timeZone],
  );
  useEffect(() => load(thisMonth(Date.now(), timeZone)), [load, timeZone]);

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
      {error && <p className="error" role="alert">{error}</p>}
      {usage && (
        <>
          <UsageChart byDay={usage.byDay} money={money} />
          <div className="spend-tables">
            <table>
              <caption>{t("credits.byUser")}</caption>
              {head(t("credits.user"))}
              {spendRows(
                usage.byUser.map((row) => ({ ...row, key: String(row.userId), name: row.userName })),
                "spend-by-user",
              )}
            </table>
            <table>
              <caption>{t("credits.byDestination")}</caption>
              {head(t("credits.destination"))}
              {spendRows(
                usage.byDestination.map((row) => ({ ...row, key: row.destination, name: row.destination })),
                "spend-by-destination",
              )}
            </table>
          </div>
        </>
      )}
    </section>
  );
}
