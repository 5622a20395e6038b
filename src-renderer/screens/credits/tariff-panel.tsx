import { useCallback, useEffect, useState, type ChangeEvent } from "react";
import { useTranslation } from "react-i18next";
import type { TariffImportReply, TariffVersionsReply } from "../../../src-shared/server-api/credits";
import { formatDateTime } from "../../../src-shared/format";
import { parseTariffCsv } from "../../../src-shared/credits/tariff-csv";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";

/** A file whose report had rejected rows: kept until the admin imports its valid rows or cancels. */
export interface Held {
  fileName: string;
  csv: string;
  report: TariffImportReply;
}

/** Tariff versions, and CSV import: a file with rejected rows imports nothing until the admin accepts the valid ones. */
export function TariffPanel({ timeZone }: { timeZone: string }) {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const [versions, setVersions] = useState<TariffVersionsReply | null>(null);
  const [held, setHeld] = useState<Held | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    api
      .listTariffVersions({})
      .then(setVersions)
      .catch((e: unknown) => setError(describeError(t, e)));
  }, [api, t]);
  useEffect(reload, [reload]);

  const upload = (fileName: string, csv: string, acceptValidRows: boolean) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    api
      .importTariff({ fileName, csv, acceptValidRows })
      .then((report) => {
        if (report.version === null) {
          setHeld({ fileName, csv, report });
          return;
        }
        setHeld(null);
        setNotice(t("credits.tariffImported", { count: report.imported, version: report.version }));
        reload();
      })
      .catch((e: unknown) => setError(describeError(t, e)))
      .finally(() => setBusy(false));
  };

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    file
      .text()
      .then((csv) => upload(file.name, csv, false))
      .catch((e: unknown) => setError(describeError(t, e)));
  };

  const validRows = held ? validRowCount(held) : 0;
  return (
    <section className="tariff" aria-labelledby="tariff-title">
      <h3 id="tariff-title">{t("credits.tariffTitle")}</h3>
      <p data-testid="tariff-current">{versions?.current == null ? t("credits.tariffNone") : t("credits.tariffCurrent", { version: versions.current })}</p>
      {versions && versions.versions.length > 0 && (
        <table data-testid="tariff-versions">
          <thead>
            <tr>
              <th scope="col">{t("credits.version")}</th>
              <th scope="col">{t("credits.rows")}</th>
              <th scope="col">{t("credits.importedAt")}</th>
              <th scope="col">{t("credits.source")}</th>
            </tr>
          </thead>
          <tbody>
            {versions.versions.map((v) => (
              <tr key={v.version} aria-current={v.version === versions.current ? "true" : undefined}>
                <td>{v.version}</td>
                <td>{v.rows}</td>
                <td>{formatDateTime(v.importedAt, i18n.language, timeZone)}</td>
                <td>{v.importedBy ? `${v.source} · ${v.importedBy}` : v.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <label className="file-pick">
        {t("credits.tariffFile")}
        <input type="file" accept=".csv,text/csv" data-testid="tariff-file" disabled={busy} onChange={choose} />
      </label>
      {notice && <p role="status" data-testid="tariff-notice">{notice}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      {held && (
        <div className="tariff-report" data-testid="tariff-report">
          <p className="error">{t("credits.tariffRejected", { count: held.report.rejected.length })}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("credits.line")}</th>
                <th scope="col">{t("credits.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {held.report.rejected.map((row) => (
                <tr key={`${row.line}-${row.code}`}>
                  <td>{row.line}</td>
                  <td>{row.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {validRows > 0 && (
            <button type="button" data-testid="tariff-import-valid" disabled={busy} onClick={() => upload(held.fileName, held.csv, true)}>
              {t("credits.tariffImportValid", { count: validRows })}
            </button>
          )}
          <button type="button" disabled={busy} onClick={() => setHeld(null)}>
            {t("credits.tariffCancel")}
          </button>
        </div>
      )}
    </section>
  );
}

/**
 * How many rows "import the valid rows" would bring: the server's count when it
 * gives one, else the same parser's rows here less any row only the server refused.
 */
export function validRowCount(held: Held): number {
  if (held.report.imported > 0) return held.report.imported;
  const local = parseTariffCsv(held.csv);
  const localLines = new Set(local.rejected.map((r) => r.line));
  const serverOnly = new Set(held.report.rejected.filter((r) => !localLines.has(r.line)).map((r) => r.line));
  return Math.max(0, local.rows.length - serverOnly.size);
}
