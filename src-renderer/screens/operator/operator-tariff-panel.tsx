import { useCallback, useEffect, useMemo, useState, type ChangeEvent } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../../src-shared/format";
import type { TariffRate } from "../../../src-shared/server-api/credits";
import { previewListLimit, type TariffPreviewReply, type TariffVersionsReply } from "../../../src-shared/server-api/operator";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";
import { RatesTable, type RatesSource } from "../credits/rates-table";
import { useRateMoney } from "../credits/use-money";

/** A file read and previewed, waiting for the operator to commit it or not. */
interface Previewed {
  fileName: string;
  csv: string;
  preview: TariffPreviewReply;
}

/** The tariff the operator owns: the current rates, import with a preview first, versions with restore. */
export function OperatorTariffPanel() {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const [versions, setVersions] = useState<TariffVersionsReply | null>(null);
  const [previewed, setPreviewed] = useState<Previewed | null>(null);
  // Bumped after an import or a restore: the rates table reads the new version.
  const [revision, setRevision] = useState(0);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    api
      .operatorListTariffVersions({})
      .then(setVersions)
      .catch((e: unknown) => setError(describeError(t, e)));
  }, [api, t]);
  useEffect(reload, [reload]);
  const changed = (text: string) => {
    setNotice(text);
    setRevision((r) => r + 1);
    reload();
  };

  const source = useMemo<RatesSource>(() => ({ list: (filter) => api.operatorListRates(filter), exportCsv: () => api.operatorExportRatesCsv({}) }), [api]);

  const run = (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    work()
      .catch((e: unknown) => setError(describeError(t, e)))
      .finally(() => setBusy(false));
  };

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    run(async () => {
      const csv = await file.text();
      setPreviewed({ fileName: file.name, csv, preview: await api.operatorPreviewTariff({ fileName: file.name, csv }) });
    });
  };

  const commit = (held: Previewed) =>
    run(async () => {
      const reply = await api.operatorImportTariff({ fileName: held.fileName, csv: held.csv, acceptValidRows: held.preview.rejected.length > 0, basedOn: held.preview.basedOn });
      setPreviewed(null);
      if (reply.version !== null) changed(t("operator.tariff.imported", { count: reply.imported, version: reply.version }));
    });

  const restore = (version: number) =>
    run(async () => {
      const reply = await api.operatorRestoreTariff({ version });
      changed(t("operator.tariff.restored", { from: version, version: reply.version }));
    });

  return (
    <section aria-labelledby="operator-tariff-title" data-testid="operator-tariff">
      <h2 id="operator-tariff-title">{t("operator.tariff.title")}</h2>
      {notice && (
        <p role="status" data-testid="operator-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <section aria-labelledby="operator-import-title">
        <h3 id="operator-import-title">{t("operator.tariff.importTitle")}</h3>
        <p className="hint">{t("operator.tariff.importHint")}</p>
        <label className="file-pick">
          {t("operator.tariff.file")}
          <input type="file" accept=".csv,text/csv" data-testid="tariff-file" disabled={busy} onChange={choose} />
        </label>
        {previewed && <PreviewReport held={previewed} busy={busy} onCommit={() => commit(previewed)} onCancel={() => setPreviewed(null)} />}
      </section>
      <section aria-labelledby="operator-rates-title">
        <h3 id="operator-rates-title">{t("operator.tariff.ratesTitle")}</h3>
        <RatesTable key={revision} source={source} testId="operator-rates" />
      </section>
      <section aria-labelledby="operator-versions-title">
        <h3 id="operator-versions-title">{t("operator.tariff.versionsTitle")}</h3>
        {versions && (
          <table data-testid="tariff-versions">
            <thead>
              <tr>
                <th scope="col">{t("operator.tariff.version")}</th>
                <th scope="col">{t("operator.tariff.rows")}</th>
                <th scope="col">{t("operator.tariff.importedAt")}</th>
                <th scope="col">{t("operator.tariff.by")}</th>
                <th scope="col">{t("operator.tariff.source")}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {[...versions.versions].reverse().map((v) => (
                <tr key={v.version} data-version={v.version} aria-current={v.version === versions.current ? "true" : undefined}>
                  <td>{v.version}</td>
                  <td>{v.rows}</td>
                  <td>{formatDateTime(v.importedAt, i18n.language)}</td>
                  <td>{v.importedBy ?? ""}</td>
                  <td>{v.source}</td>
                  <td>
                    {v.version === versions.current ? (
                      t("operator.tariff.current")
                    ) : (
                      <button type="button" data-testid="restore" disabled={busy} onClick={() => restore(v.version)}>
                        {t("operator.tariff.restore")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}

function PreviewReport({ held, busy, onCommit, onCancel }: { held: Previewed; busy: boolean; onCommit: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const money = useRateMoney("USD");
  const { preview } = held;
  const { counts } = preview;
  const rate = (r: TariffRate) => `+${r.prefix} ${r.destination} · ${money(r.ratePerMinuteMicros)} · ${r.increments.first}/${r.increments.next}`;
  const cut = Math.max(counts.added, counts.changed, counts.removed, preview.rejected.length) > previewListLimit;
  return (
    <div className="tariff-report" data-testid="tariff-preview">
      <p>
        <strong>{t("operator.tariff.previewTitle", { file: held.fileName, version: preview.basedOn ?? "—" })}</strong>
      </p>
      <p data-testid="preview-counts">{t("operator.tariff.previewCounts", { count: preview.rows, ...counts })}</p>
      {preview.changed.length > 0 && (
        <table data-testid="preview-changed">
          <caption>{t("operator.tariff.changed")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("operator.tariff.before")}</th>
              <th scope="col">{t("operator.tariff.after")}</th>
            </tr>
          </thead>
          <tbody>
            {preview.changed.map((c) => (
              <tr key={`${c.after.prefix}-${c.after.effectiveFrom}`}>
                <td>{rate(c.before)}</td>
                <td>{rate(c.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <RateList title={t("operator.tariff.added")} rates={preview.added} format={rate} testId="preview-added" />
      <RateList title={t("operator.tariff.removed")} rates={preview.removed} format={rate} testId="preview-removed" />
      {preview.rejected.length > 0 && (
        <table data-testid="preview-rejected">
          <caption className="error">{t("operator.tariff.rejected", { count: preview.rejected.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("operator.tariff.line")}</th>
              <th scope="col">{t("operator.tariff.reason")}</th>
            </tr>
          </thead>
          <tbody>
            {preview.rejected.map((row) => (
              <tr key={`${row.line}-${row.code}`}>
                <td>{row.line}</td>
                <td title={row.reason}>{t(`operator.tariff.rejectCode.${row.code}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cut && <p className="hint">{t("operator.tariff.listCut", { count: previewListLimit })}</p>}
      {preview.rows === 0 ? (
        <p className="error">{t("operator.tariff.nothingValid")}</p>
      ) : (
        <button type="button" className="primary" data-testid="tariff-commit" disabled={busy} onClick={onCommit}>
          {preview.rejected.length > 0 ? t("operator.tariff.commitValid", { count: preview.rows }) : t("operator.tariff.commit")}
        </button>
      )}
      <button type="button" disabled={busy} onClick={onCancel}>
        {t("operator.tariff.cancel")}
      </button>
    </div>
  );
}

function RateList({ title, rates, format, testId }: { title: string; rates: readonly TariffRate[]; format: (r: TariffRate) => string; testId: string }) {
  if (rates.length === 0) return null;
  return (
    <div data-testid={testId}>
      <p>{title}</p>
      <ul>
        {rates.map((r) => (
          <li key={`${r.prefix}-${r.effectiveFrom}`}>{format(r)}</li>
        ))}
      </ul>
    </div>
  );
}
