import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { LedgerFilter } from "../../../src-shared/api/areas/credits";
import { creditBuckets, ledgerKinds, type CreditBucket, type LedgerEntry, type LedgerKind } from "../../../src-shared/server-api/credits";
import { formatDateTime, formatDuration } from "../../../src-shared/format";
import { useApi } from "../../api-context";
import { destinationName } from "../../i18n/destination-name";
import { describeError } from "../../i18n/i18n";
import { saveTextFile } from "./download";
import { kindLabel, bucketLabel, noteLabel } from "./ledger-labels";
import { dayEnd, dayStart } from "./period";
import { useMoney } from "./use-money";

interface Filters {
  kind: LedgerKind | "";
  bucket: CreditBucket | "";
  from: string;
  to: string;
}

const noFilters: Filters = { kind: "", bucket: "", from: "", to: "" };

/** The form's choices as the API's filter: dates are whole days in the company's zone. */
export function toLedgerFilter(filters: Filters, timeZone: string): LedgerFilter {
  const from = filters.from === "" ? null : dayStart(filters.from, timeZone);
  const to = filters.to === "" ? null : dayEnd(filters.to, timeZone);
  return {
    ...(filters.kind === "" ? {} : { kind: filters.kind }),
    ...(filters.bucket === "" ? {} : { bucket: filters.bucket }),
    ...(from === null ? {} : { from }),
    ...(to === null ? {} : { to }),
  };
}

/** Every credit movement, newest first, filtered by kind, bucket and dates; the same filters export as CSV. */
export function LedgerPanel({ currency, timeZone }: { currency: string; timeZone: string }) {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const money = useMoney(currency);
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [applied, setApplied] = useState<LedgerFilter>({});
  const [entries, setEntries] = useState<LedgerEntry[] | null>(null);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    (filter: LedgerFilter, before: string | null) => {
      setError(null);
      api
        .listLedger({ ...filter, limit: 100, ...(before === null ? {} : { before }) })
        .then((reply) => {
          setEntries((shown) => (before === null ? reply.entries : [...(shown ?? []), ...reply.entries]));
          setNextBefore(reply.nextBefore);
        })
        .catch((e: unknown) => setError(describeError(t, e)));
    },
    [api, t],
  );
  useEffect(() => load({}, null), [load]);

  const exportCsv = () => {
    api
      .exportLedgerCsv(applied)
      .then(({ csv }) => saveTextFile(csv, "text/csv", `ledger-${new Date().toISOString().slice(0, 10)}.csv`))
      .catch((e: unknown) => setError(describeError(t, e)));
  };

  return (
    <section className="ledger" aria-labelledby="ledger-title">
      <h3 id="ledger-title">{t("credits.ledgerTitle")}</h3>
      <form
        className="ledger-filters"
        data-testid="ledger-filters"
        onSubmit={(e) => {
          e.preventDefault();
          const filter = toLedgerFilter(draft, timeZone);
          setApplied(filter);
          load(filter, null);
        }}
      >
        <label>
          {t("credits.kind")}
          <select name="kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as Filters["kind"] })}>
            <option value="">{t("credits.all")}</option>
            {ledgerKinds.map((kind) => (
              <option key={kind} value={kind}>
                {kindLabel(kind, t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("credits.bucket")}
          <select name="bucket" value={draft.bucket} onChange={(e) => setDraft({ ...draft, bucket: e.target.value as Filters["bucket"] })}>
            <option value="">{t("credits.all")}</option>
            {creditBuckets.map((bucket) => (
              <option key={bucket} value={bucket}>
                {bucketLabel(bucket, t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("credits.from")}
          <input type="date" name="from" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </label>
        <label>
          {t("credits.to")}
          <input type="date" name="to" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        <button type="submit">{t("credits.filter")}</button>
        <button type="button" data-testid="ledger-export" onClick={exportCsv}>
          {t("credits.exportCsv")}
        </button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {entries?.length === 0 && <p className="hint">{t("credits.ledgerEmpty")}</p>}
      {entries && entries.length > 0 && (
        <table data-testid="ledger-table">
          <thead>
            <tr>
              <th scope="col">{t("credits.when")}</th>
              <th scope="col">{t("credits.kind")}</th>
              <th scope="col">{t("credits.bucket")}</th>
              <th scope="col">{t("credits.amount")}</th>
              <th scope="col">{t("credits.balanceAfter")}</th>
              <th scope="col">{t("credits.details")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} data-kind={entry.kind}>
                <td>{formatDateTime(entry.at, i18n.language, timeZone)}</td>
                <td>{kindLabel(entry.kind, t)}</td>
                <td>{bucketLabel(entry.bucket, t)}</td>
                <td className={entry.amountMicros < 0 ? "money negative" : "money"}>{money(entry.amountMicros)}</td>
                <td className="money">{money(entry.balanceAfterMicros)}</td>
                <td>{details(entry, i18n.language, t, money)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextBefore !== null && (
        <button type="button" onClick={() => load(applied, nextBefore)}>
          {t("credits.loadMore")}
        </button>
      )}
    </section>
  );
}

function details(entry: LedgerEntry, locale: string, t: (key: string, options?: Record<string, unknown>) => string, money: (micros: number) => string): string {
  const destination = entry.destination === null ? null : destinationName(entry.destination, locale, t);
  const parts = [entry.userName, entry.number, destination, entry.billedSeconds === null ? null : formatDuration(entry.billedSeconds, locale), noteLabel(entry, t, money)];
  return parts.filter((part): part is string => part !== null && part !== "").join(" · ");
}
