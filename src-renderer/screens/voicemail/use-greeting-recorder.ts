import { useCallback, useEffect, useRef, useState } from "react";
import { drop } from "../../../src-shared/assert-never";
import { greetingLimits } from "../../../src-shared/server-api/voicemail";
import { loadChoice, microphoneConstraints } from "../../phone/audio-devices";
import { GreetingAudioError, toGreetingWav, type GreetingWav } from "./greeting-wav";

export type RecorderProblem = "microphone_denied" | "no_microphone" | "recorder_failed";

export type RecorderState =
  | { status: "idle" }
  | { status: "starting" }
  /** `level`: the microphone's loudness in [0, 1], for the meter. */
  | { status: "recording"; startedAt: number; elapsedMs: number; level: number }
  | { status: "converting" }
  | { status: "failed"; problem: RecorderProblem | GreetingAudioError };

interface Live {
  stream: MediaStream;
  recorder: MediaRecorder;
  context: AudioContext;
  timer: ReturnType<typeof setInterval>;
}

/** The microphone the phone uses (the same saved device choice), or the default. */
function microphone(): MediaTrackConstraints | true {
  let storage: Storage | null = null;
  try {
    storage = window.localStorage;
  } catch {
    storage = null;
  }
  return microphoneConstraints(loadChoice(storage).microphone);
}

function problemOf(error: unknown): RecorderProblem {
  const name = error instanceof DOMException ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") return "microphone_denied";
  if (name === "NotFoundError" || name === "OverconstrainedError") return "no_microphone";
  return "recorder_failed";
}

/**
 * Records a greeting from the microphone with MediaRecorder, shows its level
 * and length while it runs, stops by itself at the longest a greeting may be,
 * and hands the result over as the WAV the server takes.
 */
export function useGreetingRecorder(onRecorded: (greeting: GreetingWav) => void) {
  const [state, setState] = useState<RecorderState>({ status: "idle" });
  const live = useRef<Live | null>(null);
  const recorded = useRef(onRecorded);
  recorded.current = onRecorded;

  const release = useCallback(() => {
    const current = live.current;
    live.current = null;
    if (current === null) return;
    clearInterval(current.timer);
    for (const track of current.stream.getTracks()) track.stop();
    // The context only measured the level; a close that fails leaves nothing the user could act on.
    drop(current.context.close(), (error) => console.warn("[greetings] closing the level meter failed", error));
  }, []);

  const stop = useCallback(() => {
    const current = live.current;
    if (current !== null && current.recorder.state !== "inactive") current.recorder.stop();
  }, []);

  const start = useCallback(async () => {
    setState({ status: "starting" });
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: microphone(), video: false });
    } catch (error) {
      setState({ status: "failed", problem: problemOf(error) });
      return;
    }
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const chunks: Blob[] = [];
    const recorder = new MediaRecorder(stream);
    const startedAt = Date.now();
    recorder.ondataavailable = (event) => chunks.push(event.data);
    recorder.onstop = () => {
      release();
      setState({ status: "converting" });
      drop(
        new Blob(chunks, { type: recorder.mimeType })
          .arrayBuffer()
          .then(toGreetingWav)
          .then((greeting) => {
            setState({ status: "idle" });
            recorded.current(greeting);
          }),
        (error) => setState({ status: "failed", problem: error instanceof GreetingAudioError ? error : "recorder_failed" }),
      );
    };
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      // RMS in dBFS from -60 to 0, as a 0..1 bar.
      const db = 20 * Math.log10(Math.sqrt(sum / samples.length) || 1e-6);
      const elapsedMs = Date.now() - startedAt;
      setState({ status: "recording", startedAt, elapsedMs, level: Math.max(0, Math.min(1, (db + 60) / 60)) });
      // A little under the limit: the encoder's last frame must not push it over.
      if (elapsedMs >= greetingLimits.maxDurationMs - 250) stop();
    }, 100);
    live.current = { stream, recorder, context, timer };
    recorder.start(250);
    setState({ status: "recording", startedAt, elapsedMs: 0, level: 0 });
  }, [release, stop]);

  const reset = useCallback(() => setState({ status: "idle" }), []);

  // Leaving the page mid-recording lets go of the microphone.
  useEffect(() => () => {
    const current = live.current;
    if (current !== null) current.recorder.onstop = null;
    release();
  }, [release]);

  return { state, start: () => drop(start()), stop, reset };
}
