import { useCallback, useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { RatesReply, TariffRate } from "../../../src-shared/server-api/credits";
import { formatDateTime } from "../../../src-shared/format";
import { describeError } from "../../i18n/i18n";
import { saveTextFile } from "./download";
import { destinationName } from "../../i18n/destination-name";
import { useRateMoney } from "./use-money";

const pageSize = 100;

export interface RatesSource {
  /** A page of the rates, searched. */
  list(filter: { q?: string; limit: number; offset: number }): Promise<RatesReply>;
  /** The same rates as a tariff CSV file. */
  exportCsv(): Promise<{ csv: string }>;
}

/**
 * A tariff version's rates, read-only: search by number, prefix or
 * destination, page on, export as the CSV the operator imports. Shared by the
 * company admin's credits screen and the operator's tariff page.
 */
export function RatesTable({ source, timeZone, testId = "rates" }: { source: RatesSource; timeZone?: string; testId?: string }) {
  const { t, i18n } = useTranslation();
  const money = useRateMoney("USD");
  const [draft, setDraft] = useState("");
  const [query, setQuery] = useState("");
  const [reply, setReply] = useState<RatesReply | null>(null);
  const [rates, setRates] = useState<TariffRate[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    (q: string, offset: number) => {
      setError(null);
      source
        .list({ ...(q === "" ? {} : { q }), limit: pageSize, offset })
        .then((next) => {
          setReply(next);
          setRates((shown) => (offset === 0 ? next.rates : [...shown, ...next.rates]));
        })
        .catch((e: unknown) => setError(describeError(t, e)));
    },
    [source, t],
  );
  useEffect(() => load("", 0), [load]);

  const search = (event: FormEvent) => {
    event.preventDefault();
    setQuery(draft.trim());
    load(draft.trim(), 0);
  };
  const exportCsv = () => {
    source
      .exportCsv()
      .then(({ csv }) => saveTextFile(csv, "text/csv", `rates-v${reply?.version?.version ?? 0}.csv`))
      .catch((e: unknown) => setError(describeError(t, e)));
  };
  const date = (ms: number) => formatDateTime(ms, i18n.language, timeZone);
  const version = reply?.version ?? null;

  return (
    <div className="rates" data-testid={testId}>
      {reply && (
        <p className="hint" data-testid={`${testId}-version`} data-version={version?.version ?? ""}>
          {version === null ? t("rates.none") : t("rates.current", { version: version.version, source: version.source === "default" ? t("rates.defaultSource") : version.source, date: date(version.importedAt) })}
        </p>
      )}
      <form className="ledger-filters" onSubmit={search}>
        <label>
          {t("rates.search")}
          <input type="search" data-testid={`${testId}-search`} value={draft} onChange={(e) => setDraft(e.target.value)} />
        </label>
        <button type="submit">{t("rates.searchButton")}</button>
        <button type="button" data-testid={`${testId}-export`} onClick={exportCsv}>
          {t("rates.exportCsv")}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {reply && rates.length === 0 && <p className="hint">{t("rates.empty")}</p>}
      {rates.length > 0 && (
        <table data-testid={`${testId}-table`}>
          <thead>
            <tr>
              <th scope="col">{t("rates.prefix")}</th>
              <th scope="col">{t("rates.destination")}</th>
              <th scope="col">{t("rates.kind")}</th>
              <th scope="col">{t("rates.rate")}</th>
              <th scope="col">{t("rates.fee")}</th>
              <th scope="col">{t("rates.increments")}</th>
              <th scope="col">{t("rates.effective")}</th>
            </tr>
          </thead>
          <tbody>
            {rates.map((r) => (
              <tr key={`${r.prefix}-${r.effectiveFrom}`} data-prefix={r.prefix}>
                <td>+{r.prefix}</td>
                <td>{destinationName(r.destination, i18n.language, t)}</td>
                <td>{t(`rateQuote.kind${r.kind.charAt(0).toUpperCase()}${r.kind.slice(1)}`)}</td>
                <td className="money" data-testid="rate-per-minute">
                  {money(r.ratePerMinuteMicros)}
                </td>
                <td className="money">{money(r.connectionFeeMicros)}</td>
                <td>
                  {r.increments.first}/{r.increments.next}
                </td>
                <td>{r.effectiveTo === null ? t("rates.since", { from: date(r.effectiveFrom) }) : t("rates.between", { from: date(r.effectiveFrom), to: date(r.effectiveTo) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {reply && reply.total > 0 && (
        <p className="hint">
          {t("rates.shown", { shown: rates.length, total: reply.total })}{" "}
          {rates.length < reply.total && (
            <button type="button" onClick={() => load(query, rates.length)}>
              {t("rates.more")}
            </button>
          )}
        </p>
      )}
    </div>
  );
}
