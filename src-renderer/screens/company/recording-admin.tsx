import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Company } from "../../../src-shared/domain/company";
import type { RecordingSettings, RecordingSettingsPatch, RecordingSourceKind } from "../../../src-shared/server-api/recordings";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";
import { ErrorNotice } from "../../components/ui/query-state";
import { useCoreQuery } from "../../query/core-query";

const sources = ["pbx", "desktop"] as const satisfies readonly RecordingSourceKind[];
const switches = ["enabled", "enforced", "ownerDownload", "consentAnnouncement", "pauseAllowed"] as const satisfies readonly (keyof RecordingSettings)[];

/** Company settings → Call recording (admin only; the server refuses anyone else whatever this shows). Each switch saves at once. */
export function RecordingAdmin(_props: { company: Company }) {
  const api = useApi();
  const { t } = useTranslation();
  const loaded = useCoreQuery("getRecordingSettings", {});
  const [saved, setSettings] = useState<RecordingSettings | null>(null);
  const settings = saved ?? loaded.data ?? null;
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<{ kind: "saved" | "error"; text: string } | null>(null);

  const change = (patch: RecordingSettingsPatch) => {
    setSaving(true);
    api
      .updateRecordingSettings(patch)
      .then((next) => {
        setSettings(next);
        setStatus({ kind: "saved", text: t("recording.saved") });
      })
      .catch((e: unknown) => setStatus({ kind: "error", text: describeError(t, e) }))
      .finally(() => setSaving(false));
  };

  return (
    <section className="recording-admin" aria-labelledby="recording-admin-title" data-testid="recording-admin">
      <h2 id="recording-admin-title">{t("recording.adminTitle")}</h2>
      {loaded.isError && settings === null && <ErrorNotice error={loaded.error} onRetry={() => void loaded.refetch()} retrying={loaded.isFetching} />}
      {settings === null ? (
        status === null && <p className="hint">{t("recording.loading")}</p>
      ) : (
        <fieldset disabled={saving}>
          {switches.map((key) => (
            <label key={key} className="switch">
              <input
                type="checkbox"
                data-testid={`recording-${key}`}
                checked={settings[key]}
                // Without recording on, the other switches have nothing to govern.
                disabled={key !== "enabled" && !settings.enabled}
                onChange={(e) => change({ [key]: e.currentTarget.checked })}
              />
              {t(`recording.${key}`)}
            </label>
          ))}
          <fieldset className="recording-source" disabled={!settings.enabled} data-testid="recording-source">
            <legend>{t("recorder.sourceTitle")}</legend>
            {sources.map((source) => (
              <label key={source} className="switch">
                <input type="radio" name="recording-source" value={source} data-testid={`recording-source-${source}`} checked={settings.source === source} onChange={() => change({ source })} />
                {t(source === "pbx" ? "recorder.sourcePbx" : "recorder.sourceDesktop")}
              </label>
            ))}
            {settings.source === "desktop" && <p className="hint">{t("recorder.sourceHint")}</p>}
          </fieldset>
          <p className="hint">{t("recording.adminHint")}</p>
        </fieldset>
      )}
      {status && (
        <p className={status.kind === "error" ? "error" : "hint"} role={status.kind === "error" ? "alert" : "status"}>
          {status.text}
        </p>
      )}
    </section>
  );
}
