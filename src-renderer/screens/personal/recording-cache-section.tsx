import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { mib, minRecordingCacheLimitBytes, type RecordingCacheState } from "../../../src-shared/api/areas/recordings";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";
import { formatMegabytes } from "../recording-player";

/** Recordings kept on this computer for offline play: space used, the limit, and removing them all. */
export function RecordingCacheSection() {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<RecordingCacheState | null>(null);
  const [limitMb, setLimitMb] = useState("");
  const [note, setNote] = useState<{ error: boolean; text: string } | null>(null);
  const mb = (bytes: number) => formatMegabytes(bytes, i18n.language);

  const show = (next: RecordingCacheState) => {
    setState(next);
    setLimitMb(String(Math.round(next.limitBytes / mib)));
  };
  const fail = (e: unknown) => setNote({ error: true, text: describeError(t, e) });

  useEffect(() => {
    let live = true;
    api
      .getRecordingCache({})
      .then((next) => {
        if (!live) return;
        setState(next);
        setLimitMb(String(Math.round(next.limitBytes / mib)));
      })
      .catch((e: unknown) => live && setNote({ error: true, text: describeError(t, e) }));
    return () => {
      live = false;
    };
  }, [api, t]);

  const saveLimit = () => {
    api
      .setRecordingCacheLimit({ limitBytes: Math.round(Number(limitMb) * mib) })
      .then((reply) => {
        if (!reply.ok) return setNote({ error: true, text: t("recordingCache.overLimit", { pinned: mb(reply.pinnedBytes) }) });
        show(reply.state);
        setNote({ error: false, text: t("recordingCache.saved") });
      })
      .catch(fail);
  };

  const clear = () => {
    api
      .clearRecordingCache({})
      .then((next) => {
        show(next);
        setNote({ error: false, text: t("recordingCache.cleared") });
      })
      .catch(fail);
  };

  const minMb = minRecordingCacheLimitBytes / mib;
  return (
    <section className="recording-cache" aria-labelledby="recording-cache-title" data-testid="recording-cache">
      <h2 id="recording-cache-title">{t("recordingCache.title")}</h2>
      <p className="hint">{t("recordingCache.intro")}</p>
      {state === null ? (
        note === null && <p className="hint">{t("recordingCache.loading")}</p>
      ) : (
        <>
          <p data-testid="recording-cache-usage" data-used={state.usedBytes} data-count={state.count}>
            {t("recordingCache.usage", { used: mb(state.usedBytes), limit: mb(state.limitBytes), count: state.count, pinnedCount: state.pinnedCount, pinned: mb(state.pinnedBytes) })}
          </p>
          <div className="recording-cache-limit">
            <label>
              {t("recordingCache.limit")}{" "}
              <input type="number" data-testid="recording-cache-limit" min={minMb} step={50} value={limitMb} onChange={(e) => setLimitMb(e.currentTarget.value)} />
            </label>{" "}
            <button type="button" data-testid="recording-cache-save" disabled={!(Number(limitMb) >= minMb)} onClick={saveLimit}>
              {t("recordingCache.save")}
            </button>{" "}
            <span className="hint">{t("recordingCache.minimum", { min: minMb })}</span>
          </div>
          <button type="button" className="recording-cache-clear" data-testid="recording-cache-clear" disabled={state.count === 0} onClick={clear}>
            {t("recordingCache.clear")}
          </button>
        </>
      )}
      {note !== null && (
        <p className={note.error ? "error" : "hint"} role={note.error ? "alert" : "status"}>
          {note.text}
        </p>
      )}
    </section>
  );
}
