import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { drop } from "../../../src-shared/assert-never";
import { formatTimer } from "../../../src-shared/format";
import { greetingLimits } from "../../../src-shared/server-api/voicemail";
import { useApi } from "../../api-context";
import { Button } from "../../components/ui/button";
import { useToast } from "../../components/ui/toast";
import { greetingProblemText } from "./greeting-problem";
import { toGreetingWav, type GreetingWav } from "./greeting-wav";
import { sendGreeting } from "./send-greeting";
import { useGreetingRecorder } from "./use-greeting-recorder";

interface Draft extends GreetingWav {
  name: string;
}

/** Record a greeting or convert a file, listen to it, name it and save it. */
export function GreetingEditor({ disabled, onSaved }: { disabled: boolean; onSaved: () => void }) {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const defaultName = () => t("voicemail.recorder.defaultName", { date: new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" }).format(Date.now()) });
  const recorder = useGreetingRecorder((greeting) => setDraft({ ...greeting, name: defaultName() }));
  const rec = recorder.state;
  const preview = usePreviewUrl(draft?.wav ?? null);

  const pickFile = (file: File | undefined) => {
    if (file === undefined) return;
    setProblem(null);
    setDraft(null);
    drop(
      file.arrayBuffer().then(toGreetingWav).then((greeting) => setDraft({ ...greeting, name: file.name.replace(/\.[^.]+$/, "").slice(0, 80) || defaultName() })),
      setProblem,
    );
  };

  const save = () => {
    if (draft === null) return;
    setSaving(true);
    setProblem(null);
    drop(
      sendGreeting(api, draft.wav, draft.name.trim())
        .then((greeting) => {
          toast.success(t("voicemail.recorder.saved", { name: greeting.name }));
          setDraft(null);
          onSaved();
        })
        .finally(() => setSaving(false)),
      setProblem,
    );
  };

  const shownProblem = problem ?? (rec.status === "failed" ? rec.problem : null);
  const busy = rec.status === "starting" || rec.status === "recording" || rec.status === "converting" || saving;
  return (
    <div className="greeting-editor" data-testid="greeting-editor">
      <div className="greeting-editor-actions">
        {rec.status === "recording" ? (
          <Button variant="danger" data-testid="greeting-record-stop" onClick={recorder.stop}>
            {t("voicemail.recorder.stop")}
          </Button>
        ) : (
          <Button variant="primary" data-testid="greeting-record" disabled={disabled || busy} busy={rec.status === "starting" || rec.status === "converting"} onClick={() => {
            setProblem(null);
            setDraft(null);
            recorder.start();
          }}>
            {draft === null ? t("voicemail.record") : t("voicemail.recorder.again")}
          </Button>
        )}
        <Button data-testid="greeting-upload" disabled={disabled || busy} onClick={() => fileInput.current?.click()}>
          {t("voicemail.upload")}
        </Button>
        <input ref={fileInput} type="file" hidden accept="audio/wav,audio/x-wav,audio/mpeg,.wav,.mp3" data-testid="greeting-file" onChange={(e) => {
          pickFile(e.currentTarget.files?.[0]);
          e.currentTarget.value = "";
        }} />
        <span className="hint">{t("voicemail.uploadHint", { seconds: greetingLimits.maxDurationMs / 1000 })} · {t("voicemail.recorder.microphone")}</span>
      </div>
      {rec.status === "recording" && (
        <div className="greeting-recording" role="status" data-testid="greeting-recording">
          <span className="greeting-recording-dot" aria-hidden="true" /> {t("voicemail.recorder.recording")}{" "}
          <time data-testid="greeting-elapsed">{t("voicemail.recorder.limit", { elapsed: formatTimer(rec.elapsedMs / 1000), max: formatTimer(greetingLimits.maxDurationMs / 1000) })}</time>
          <meter className="greeting-level" aria-label={t("voicemail.recorder.level")} min={0} max={1} low={0.2} high={0.9} optimum={0.6} value={rec.level} data-testid="greeting-level" />
        </div>
      )}
      {rec.status === "converting" && <p className="hint" role="status">{t("voicemail.recorder.converting")}</p>}
      {shownProblem !== null && (
        <p className="error" role="alert" data-testid="greeting-problem">
          {greetingProblemText(t, i18n.language, shownProblem)}
        </p>
      )}
      {draft !== null && (
        <form className="greeting-draft" data-testid="greeting-draft" onSubmit={(e) => {
          e.preventDefault();
          save();
        }}>
          <h4>{t("voicemail.recorder.title")}</h4>
          <label className="greeting-preview">
            {t("voicemail.recorder.preview")} ({formatTimer(draft.durationMs / 1000)})
            {preview !== null && <audio controls src={preview} data-testid="greeting-preview" />}
          </label>
          <label>
            {t("voicemail.name")}{" "}
            <input value={draft.name} maxLength={80} required data-testid="greeting-name" onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })} />
          </label>
          <div className="greeting-draft-actions">
            <Button type="submit" variant="primary" data-testid="greeting-save" disabled={disabled || draft.name.trim() === ""} busy={saving}>
              {saving ? t("voicemail.recorder.saving") : t("voicemail.recorder.save")}
            </Button>
            <Button variant="ghost" disabled={saving} onClick={() => setDraft(null)}>
              {t("voicemail.recorder.discard")}
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}

/** A blob: URL for the draft's WAV, revoked when it changes or the editor goes. */
function usePreviewUrl(wav: Uint8Array | null): string | null {
  const url = useMemo(() => (wav === null || typeof URL.createObjectURL !== "function" ? null : URL.createObjectURL(new Blob([wav as BlobPart], { type: "audio/wav" }))), [wav]);
  useEffect(() => () => {
    if (url !== null) URL.revokeObjectURL(url);
  }, [url]);
  return url;
}
