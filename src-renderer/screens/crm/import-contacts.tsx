import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ImportContactsReply } from "../../../src-shared/server-api/crm";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";

/** A contacts CSV from a file: imported on the server, every rejected row listed by line with its reason. */
export function ImportContacts() {
  const api = useApi();
  const { t } = useTranslation();
  const [acceptValidRows, setAcceptValidRows] = useState(false);
  const [report, setReport] = useState<ImportContactsReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const importFile = async (file: File) => {
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      setReport(await api.importContacts({ csv: await file.text(), acceptValidRows }));
    } catch (e) {
      setError(describeError(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="crm-import" data-testid="contact-import">
      <summary>{t("crm.importTitle")}</summary>
      <p className="hint">{t("crm.importHint")}</p>
      <label>
        <input type="checkbox" checked={acceptValidRows} onChange={(e) => setAcceptValidRows(e.target.checked)} /> {t("crm.importAcceptValid")}
      </label>
      <input
        type="file"
        accept=".csv,text/csv"
        aria-label={t("crm.importButton")}
        data-testid="contact-import-file"
        disabled={busy}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void importFile(file);
          e.target.value = "";
        }}
      />
      {error && <p role="alert" className="error">{error}</p>}
      {report && (
        <div data-testid="contact-import-report">
          <p>{t("crm.imported", { count: report.imported, rows: report.rows })}</p>
          <ul>
            {report.rejected.map((row) => (
              <li key={row.line}>{t("crm.rejectedRow", { line: row.line, reason: row.reason })}</li>
            ))}
          </ul>
        </div>
      )}
    </details>
  );
}
