import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { HistoryCall } from "../../src-shared/api/contract";
import { mib, type CacheProblem, type ListedRecording, type OfflineState, type PinReply, type RecordingAudio } from "../../src-shared/api/areas/recordings";
import { CallerError } from "../../src-shared/errors";
import { formatTimer } from "../../src-shared/format";
import type { RecordingMeta, RecordingPeaks, RecordingSummary } from "../../src-shared/server-api/recordings";
import { useApi } from "../api-context";
import { describeError } from "../i18n/i18n";
import { usePlayback } from "../components/playback";

type T = (key: string, options?: Record<string, unknown>) => string;

export const formatMegabytes = (bytes: number, locale: string): string =>
  new Intl.NumberFormat(locale, { style: "unit", unit: "megabyte", maximumFractionDigits: bytes < 10 * mib ? 1 : 0 }).format(bytes / mib);

/** Offline, the core says server_unreachable only for what it does not keep: the player says that in its own words. */
const notOffline = (t: T, e: unknown, key: "recording.notOffline" | "recording.downloadNotOffline") =>
  e instanceof CallerError && e.code === "server_unreachable" ? t(key) : describeError(t, e);

const cacheProblemKey = { checksum_mismatch: "recording.notKeptChecksum", too_large: "recording.notKeptFull" } as const satisfies Record<CacheProblem, string>;

function pinRefusal(t: T, reply: Exclude<PinReply, { ok: true }>, locale: string): string {
  if (reply.reason === "checksum_mismatch") return t(cacheProblemKey.checksum_mismatch);
  return t("recording.pinOverLimit", { pinned: formatMegabytes(reply.pinnedBytes, locale), limit: formatMegabytes(reply.limitBytes, locale) });
}

const speeds = [1, 1.5, 2] as const;

/** A call this recent may still have its recording on the way (stored a moment after the call's CDR). */
const recentMs = 10 * 60_000;
/** Asked again after 1, 2, 4, 8 and 16 s while a recent call has no recording yet, then left alone. */
const retryDelaysMs = [1000, 2000, 4000, 8000, 16_000];

/** The recordings of the listed calls, asked for in one request per list (the server decides who sees which). */
export function useCallRecordings(calls: readonly HistoryCall[] | null): ReadonlyMap<string, ListedRecording> {
  const api = useApi();
  const [recordings, setRecordings] = useState<ReadonlyMap<string, ListedRecording>>(new Map());
  useEffect(() => {
    // Not filtered by answeredAt: the list may hold a call's in-progress copy; the server knows which have a recording.
    const listed = (calls ?? []).filter((call) => /^[0-9]+$/.test(call.id)).slice(0, 500);
    if (listed.length === 0) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = (attempt: number) => {
      api
        .listCallRecordings({ callIds: listed.map((call) => call.id) })
        .then((reply) => {
          if (!live) return;
          const found = new Map(reply.recordings.map((r) => [r.callId, r]));
          setRecordings(found);
          const waiting = listed.some((call) => !found.has(call.id) && call.startedAt > Date.now() - recentMs);
          const delay = retryDelaysMs[attempt];
          if (waiting && delay !== undefined) timer = setTimeout(() => ask(attempt + 1), delay);
        })
        // Refused: history still shows, without players (offline, the core answers with the recordings it keeps).
        .catch((e: unknown) => console.warn("[recordings] list refused; history shows without players", e));
    };
    ask(0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, calls]);
  return recordings;
}

function blobUrl(audio: RecordingAudio): string {
  const bytes = Uint8Array.from(atob(audio.base64), (c) => c.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: audio.mime }));
}

/** One lane per channel (the user above, the other party below), a bar from min to max per peak. */
function waveformPath(peaks: RecordingPeaks): string {
  const lanes = Math.max(1, peaks.length);
  const height = 100 / lanes;
  return peaks
    .map((pairs, lane) => {
      const centre = height * lane + height / 2;
      const step = 1000 / Math.max(1, pairs.length);
      return pairs.map(([min, max], i) => `M${(i * step).toFixed(1)} ${(centre - (max * height) / 2).toFixed(2)}V${(centre - (min * height) / 2 + 0.2).toFixed(2)}`).join("");
    })
    .join("");
}

/**
 * Play/pause, waveform with seeking, speed, keep-offline and (when allowed) download for one call's
 * recording. Audio loads on first play, from the core's cache when it keeps it (offline too).
 * `offline` comes with the history's list; a caller without it learns it on first play.
 */
export function RecordingPlayer({ recording }: { recording: RecordingSummary & { offline?: OfflineState } }) {
  const api = useApi();
  const playback = usePlayback();
  const { t, i18n } = useTranslation();
  const audioRef = useRef<HTMLAudioElement>(null);
  const [meta, setMeta] = useState<RecordingMeta | null>(null);
  const [src, setSrc] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const [speed, setSpeed] = useState<(typeof speeds)[number]>(1);
  const [error, setError] = useState<string | null>(null);
  const [offline, setOffline] = useState<OfflineState>(recording.offline ?? "none");
  const [notice, setNotice] = useState<string | null>(null);
  const durationS = recording.durationMs / 1000;

  useEffect(() => () => void (src && URL.revokeObjectURL(src)), [src]);
  useEffect(() => {
    const audio = audioRef.current;
    return () => void (audio && playback.gone(audio));
  }, [playback, src]);
  useEffect(() => {
    if (audioRef.current) audioRef.current.playbackRate = speed;
  }, [speed, src]);

  const load = async (): Promise<HTMLAudioElement | null> => {
    if (src && audioRef.current) return audioRef.current;
    setLoading(true);
    try {
      const [nextMeta, audio] = await Promise.all([api.getRecording({ id: recording.id }), api.getRecordingAudio({ id: recording.id })]);
      setMeta(nextMeta);
      setSrc(blobUrl(audio));
      setOffline(audio.offline);
      setNotice(audio.cacheProblem === null ? null : t(cacheProblemKey[audio.cacheProblem]));
      setError(null);
      return null;
    } catch (e) {
      setError(notOffline(t, e, "recording.notOffline"));
      return null;
    } finally {
      setLoading(false);
    }
  };

  const togglePlay = async () => {
    const audio = await load();
    if (!audio) return;
    if (audio.paused) await audio.play().catch((e: unknown) => setError(String(e)));
    else audio.pause();
  };

  const seek = (seconds: number) => {
    const audio = audioRef.current;
    if (!audio) return;
    audio.currentTime = Math.min(Math.max(0, seconds), durationS);
    setPosition(audio.currentTime);
  };

  const download = async () => {
    try {
      const file = await api.downloadRecording({ id: recording.id });
      const url = blobUrl(file);
      const link = document.createElement("a");
      link.href = url;
      link.download = file.fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(notOffline(t, e, "recording.downloadNotOffline"));
    }
  };

  const togglePinned = async () => {
    try {
      const reply = await api.setRecordingPinned({ id: recording.id, pinned: offline !== "pinned" });
      if (reply.ok) {
        setOffline(reply.offline);
        setError(null);
      } else setError(pinRefusal(t, reply, i18n.language));
    } catch (e) {
      setError(notOffline(t, e, "recording.notOffline"));
    }
  };

  const progress = durationS > 0 ? Math.min(1, position / durationS) : 0;
  return (
    <div
      className="recording-player"
      data-testid="recording-player"
      data-recording-id={recording.id}
      data-duration-ms={recording.durationMs}
      data-position={position.toFixed(2)}
      data-offline={offline}
    >
      <button type="button" data-testid="recording-play" aria-pressed={playing} disabled={loading} onClick={() => void togglePlay()}>
        {loading ? t("recording.loadingAudio") : playing ? t("recording.pausePlayback") : t("recording.play")}
      </button>
      {src && (
        <audio
          ref={audioRef}
          src={src}
          preload="auto"
          onLoadedData={() => void audioRef.current?.play().catch((e: unknown) => setError(describeError(t, e)))}
          onPlay={(e) => {
            playback.started(e.currentTarget);
            setPlaying(true);
          }}
          onPause={() => setPlaying(false)}
          onEnded={() => setPlaying(false)}
          onTimeUpdate={(e) => setPosition(e.currentTarget.currentTime)}
        />
      )}
      {meta && (
        <svg
          className="recording-waveform"
          data-testid="recording-waveform"
          viewBox="0 0 1000 100"
          preserveAspectRatio="none"
          role="presentation"
          onClick={(e) => {
            const box = e.currentTarget.getBoundingClientRect();
            seek(((e.clientX - box.left) / Math.max(1, box.width)) * durationS);
          }}
        >
          <rect className="recording-progress" x="0" y="0" width={progress * 1000} height="100" />
          <path d={waveformPath(meta.peaks)} />
        </svg>
      )}
      <input
        type="range"
        aria-label={t("recording.seek")}
        data-testid="recording-seek"
        min={0}
        max={durationS}
        step={0.1}
        value={position}
        disabled={!src}
        onChange={(e) => seek(Number(e.currentTarget.value))}
      />
      <span className="recording-time">{t("recording.position", { position: formatTimer(position), duration: formatTimer(durationS) })}</span>
      <span role="group" aria-label={t("recording.speed")}>
        {speeds.map((s) => (
          <button key={s} type="button" aria-pressed={speed === s} data-testid={`recording-speed-${s}`} onClick={() => setSpeed(s)}>
            {s}×
          </button>
        ))}
      </span>
      <label className="recording-keep">
        <input type="checkbox" data-testid="recording-pin" checked={offline === "pinned"} onChange={() => void togglePinned()} /> {t("recording.keepOffline")}
      </label>
      {offline !== "none" && (
        <span className="recording-offline" data-testid="recording-offline">
          {t("recording.availableOffline")}
        </span>
      )}
      {recording.canDownload && (
        <button type="button" data-testid="recording-download" onClick={() => void download()}>
          {t("recording.download")}
        </button>
      )}
      {notice && (
        <span className="hint" role="status">
          {notice}
        </span>
      )}
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** The player for a call that has a recording; nothing otherwise. */
export function CallRecording({ recording }: { recording: (RecordingSummary & { offline?: OfflineState }) | undefined }) {
  return recording === undefined ? null : <RecordingPlayer recording={recording} />;
}
