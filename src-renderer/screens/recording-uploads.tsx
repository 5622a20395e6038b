import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { RecordingUpload } from "../../src-shared/api/areas/recorder";
import { drop } from "../../src-shared/assert-never";
import { formatDateTime } from "../../src-shared/format";
import { useApi } from "../api-context";
import { useCoreQuery, useEventData } from "../query/core-query";
import { describeError, describeStoredError } from "../i18n/i18n";

/** The most recent uploads shown; older ones are done and live in history. */
const shown = 5;

function formatBytes(bytes: number, locale: string): string {
  const units = ["B", "KB", "MB", "GB"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

/** Merges one changed upload into the list, newest first. */
export function mergeUpload(list: readonly RecordingUpload[], next: RecordingUpload): RecordingUpload[] {
  return [next, ...list.filter((u) => u.clientCallId !== next.clientCallId)].sort((a, b) => b.startedAt - a.startedAt);
}

/** Beside history: recordings made on this computer on their way to the server, with progress and a retry. Hidden when there are none. */
export function RecordingUploads() {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  // Listening starts with the query, so an upload that moves while the list loads is merged, not lost.
  useEventData("recordingUploadChanged", "listRecordingUploads", {}, (upload, old) => ({ uploads: mergeUpload(old?.uploads ?? [], upload) }));
  // A core without desktop recordings (or still starting) refuses the list: there is nothing to show then.
  const uploads = useCoreQuery("listRecordingUploads", {}, { retry: false, select: (reply) => reply.uploads.reduce<RecordingUpload[]>(mergeUpload, []) }).data ?? [];

  if (uploads.length === 0) return null;
  const retry = (clientCallId: string) => {
    setError(null);
    drop(api.retryRecordingUpload({ clientCallId }), (e) => setError(describeError(t, e)));
  };
  return (
    <section className="recording-uploads" aria-labelledby="recording-uploads-title" data-testid="recording-uploads">
      <h3 id="recording-uploads-title">{t("recorder.uploadsTitle")}</h3>
      <ul>
        {uploads.slice(0, shown).map((upload) => (
          <li key={upload.clientCallId} data-testid="recording-upload" data-call-id={upload.clientCallId} data-state={upload.state}>
            <span className="upload-call">{t("recorder.callAt", { time: formatDateTime(upload.startedAt, i18n.language) })}</span>{" "}
            <span className="upload-state">{t(`recorder.state.${upload.state}`)}</span>
            {upload.totalBytes > 0 && (
              <>
                <progress aria-label={t("recorder.progressLabel")} value={upload.sentBytes} max={upload.totalBytes} data-testid="recording-upload-progress" />
                <span className="upload-bytes">
                  {t("recorder.progress", { sent: formatBytes(upload.sentBytes, i18n.language), total: formatBytes(upload.totalBytes, i18n.language) })}
                </span>
              </>
            )}
            {upload.error !== null && (
              <span className="error" role="alert" data-testid="recording-upload-error">
                {describeStoredError(t, upload.error)}
              </span>
            )}
            {(upload.state === "failed" || (upload.state === "waiting" && upload.error !== null)) && (
              <button type="button" data-testid="recording-upload-retry" onClick={() => retry(upload.clientCallId)}>
                {t("recorder.retry")}
              </button>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
