import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { assertNever, drop } from "../../src-shared/assert-never";
import type { RecordingSettings } from "../../src-shared/server-api/recordings";
import { useCoreQuery } from "../query/core-query";
import { useApi } from "../api-context";
import { describeError } from "../i18n/i18n";
import { usePhone, usePhoneSnapshot } from "../phone/phone-context";
import { useDesktopRecorder } from "../phone/desktop-recorder-hook";
import type { DesktopRecorder } from "../phone/desktop-recorder";
import type { DesktopRecording } from "../phone/desktop-recorder-state";

/** The company's recording policy as the user's phone needs it; null until known (or offline: no controls). */
function useRecordingPolicy(): RecordingSettings | null {
  // Unknown (offline, refused): no record/pause controls; the PBX still records as the company's policy says.
  return useCoreQuery("getRecordingPolicy", {}).data ?? null;
}

/** Beside the dialer: record the next call or not (default on); a plain notice when the company enforces it. */
export function RecordChoice() {
  const { t } = useTranslation();
  const phone = usePhone();
  const policy = useRecordingPolicy();
  const [record, setRecord] = useState(phone.recordNextCall);
  if (policy === null || !policy.enabled) return null;
  if (policy.enforced) return <p className="record-choice hint" data-testid="record-enforced">{t("recording.recordEnforced")}</p>;
  return (
    <label className="record-choice">
      <input
        type="checkbox"
        data-testid="record-next-call"
        checked={record}
        onChange={(e) => {
          phone.recordNextCall = e.currentTarget.checked;
          setRecord(e.currentTarget.checked);
        }}
      />
      {t("recording.recordNextCall")}
    </label>
  );
}

/** On the call screen while talking: that the call is recorded, and pause/resume when the company allows it. */
export function RecordingCallControls() {
  const api = useApi();
  const { t } = useTranslation();
  const phone = usePhone();
  const { call } = usePhoneSnapshot();
  const policy = useRecordingPolicy();
  const [paused, setPaused] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const callId = call.status === "idle" ? null : call.callId;
  useEffect(() => setPaused(false), [callId]);

  const { recorder, recording } = useDesktopRecorder();

  const recorded = policy !== null && policy.enabled && (policy.enforced || phone.callAskedToRecord);
  if (!recorded || callId === null || (call.status !== "connected" && call.status !== "on-hold")) return null;
  if (policy.source === "desktop") return <DesktopRecordingControls recorder={recorder} recording={recording} callId={callId} pauseAllowed={policy.pauseAllowed} />;
  const toggle = () => {
    setBusy(true);
    api
      .setRecordingPaused({ clientCallId: callId, paused: !paused })
      .then((reply) => {
        setPaused(reply.paused);
        setError(null);
      })
      .catch((e: unknown) => setError(describeError(t, e)))
      .finally(() => setBusy(false));
  };
  return (
    <div className="recording-controls" data-testid="recording-controls" data-paused={paused}>
      <span className={paused ? "recording-state paused" : "recording-state"}>{paused ? t("recording.recordingPaused") : t("recording.recordingOn")}</span>
      {policy.pauseAllowed && (
        <button type="button" aria-pressed={paused} disabled={busy} onClick={toggle}>
          {paused ? t("recording.resume") : t("recording.pause")}
        </button>
      )}
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** The same controls when the call is recorded here: the recorder's own state, pause writes silence locally. */
function DesktopRecordingControls({ recorder, recording, callId, pauseAllowed }: { recorder: DesktopRecorder; recording: DesktopRecording; callId: string; pauseAllowed: boolean }) {
  const api = useApi();
  const { t } = useTranslation();
  if (recording.status === "off" || recording.callId !== callId) return null;
  const paused = recording.status === "paused";
  const toggle = () => {
    recorder.setPaused(!paused);
    // The server keeps every pause with the call; the recording itself already obeys.
    drop(api.setRecordingPaused({ clientCallId: callId, paused: !paused }), (e) => console.warn("[recorder] pause not logged", e));
  };
  const text = (() => {
    switch (recording.status) {
      case "starting":
        return t("recorder.starting");
      case "recording":
        return t("recorder.onThisComputer");
      case "paused":
        return t("recorder.pausedOnThisComputer");
      case "stopping":
      case "stopped":
        return t("recorder.stopping");
      case "failed":
        return t("recorder.failed", { reason: describeError(t, recording.error) });
      default:
        return assertNever(recording, "desktop recording");
    }
  })();
  return (
    <div className="recording-controls desktop-recording" data-testid="recording-controls" data-paused={paused} data-source="desktop" data-state={recording.status}>
      <span className={recording.status === "failed" ? "recording-state error" : paused ? "recording-state paused" : "recording-state"} role={recording.status === "failed" ? "alert" : "status"} data-testid="desktop-recording-state">
        {text}
      </span>
      {pauseAllowed && (recording.status === "recording" || paused) && (
        <button type="button" aria-pressed={paused} onClick={toggle}>
          {paused ? t("recording.resume") : t("recording.pause")}
        </button>
      )}
    </div>
  );
}
