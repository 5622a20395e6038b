import { drop } from "../../src-shared/assert-never";
import type { RecordingSettings } from "../../src-shared/server-api/recordings";
import type { CallerApi } from "../bridge/api";
import type { CallState } from "./call-state";
import type { CallMedia, Capture, StartCapture } from "./desktop-recorder-capture";
import { recordsOnDesktop } from "./desktop-recorder-policy";
import { ChunkQueue, type ChunkQueueOptions } from "./desktop-recorder-queue";
import { desktopRecordingTransition, isCapturing, recordingOff, type DesktopRecording, type DesktopRecordingEvent } from "./desktop-recorder-state";

/** What the recorder reads from the softphone (Phone has all of it). */
export interface RecordablePhone {
  subscribe(listener: () => void): () => void;
  snapshot(): { call: CallState };
  readonly callAskedToRecord: boolean;
  readonly callMedia: CallMedia;
}

export type RecorderApi = Pick<CallerApi, "getRecordingPolicy" | "startDesktopRecording" | "appendDesktopRecording" | "stopDesktopRecording">;

interface Session {
  callId: string;
  capture: Capture | null;
  queue: ChunkQueue | null;
  /** Settles once the capture and the queue exist (or failed to). */
  ready: Promise<void>;
  ended: Promise<void> | null;
}

const lazyCapture: StartCapture = async (media, onChunk) => (await import("./desktop-recorder-capture")).startCapture(media, onChunk);

const talking = (call: CallState): call is Extract<CallState, { status: "connected" | "on-hold" }> => call.status === "connected" || call.status === "on-hold";

/**
 * Records each answered call on this computer when the company says so: it
 * follows the Phone (not a screen, so opening settings mid-call changes
 * nothing), starts at answer, stops at hang-up from either side or at a
 * failure, and feeds the core in order.
 */
export class DesktopRecorder {
  private state: DesktopRecording = recordingOff;
  private readonly listeners = new Set<() => void>();
  private policy: RecordingSettings | null = null;
  private policyFor: string | null = null;
  private policyLoad: Promise<void> = Promise.resolve();
  private decidedFor: string | null = null;
  private session: Session | null = null;

  constructor(
    private readonly phone: RecordablePhone,
    private readonly api: RecorderApi,
    private readonly startCapture: StartCapture = lazyCapture,
    private readonly queueOptions: Omit<ChunkQueueOptions, "onFailed"> = {},
  ) {
    phone.subscribe(() => this.phoneChanged());
    this.phoneChanged();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): DesktopRecording => this.state;

  /** Pause writes silence (the file keeps the call's length); only while recording. */
  setPaused(paused: boolean): void {
    if (this.state.status !== (paused ? "recording" : "paused")) return;
    this.session?.capture?.setPaused(paused);
    this.move(paused ? { type: "pause" } : { type: "resume" });
  }

  /** Resolves when the current call's recording has been handed to the core (tests, and a clean sign-out). */
  async settled(): Promise<void> {
    await this.policyLoad;
    await this.session?.ready;
    await this.session?.ended;
  }

  private phoneChanged(): void {
    const { call } = this.phone.snapshot();
    const callId = call.status === "idle" ? null : call.callId;
    if (callId !== null && callId !== this.policyFor) {
      this.policyFor = callId;
      this.policyLoad = this.api
        .getRecordingPolicy({})
        .then((policy) => void (this.policy = policy))
        // Offline: the last policy seen still applies.
        .catch(() => undefined);
    }
    const session = this.session;
    if (session && (session.callId !== callId || !talking(call))) drop(this.end(session));
    else if (session?.capture) session.capture.useMedia(this.phone.callMedia);
    if (talking(call) && this.decidedFor !== call.callId) {
      this.decidedFor = call.callId;
      drop(this.decide(call.callId));
    }
  }

  private async decide(callId: string): Promise<void> {
    await this.policyLoad;
    const { call } = this.phone.snapshot();
    if (!talking(call) || call.callId !== callId || !recordsOnDesktop(this.policy, this.phone.callAskedToRecord)) return;
    await this.begin(callId);
  }

  private begin(callId: string): Promise<void> {
    const session: Session = { callId, capture: null, queue: null, ready: Promise.resolve(), ended: null };
    this.session = session;
    this.move({ type: "start", callId });
    session.ready = this.open(session).catch((error: unknown) => this.fail(session, error));
    return session.ready;
  }

  /** The audio context, then the core's file: chunks that come before the queue exists wait in order. */
  private async open(session: Session): Promise<void> {
    const early: ArrayBuffer[] = [];
    const capture = await this.startCapture(this.phone.callMedia, (pcm) => (session.queue ? session.queue.push(pcm) : early.push(pcm)));
    session.capture = capture;
    const { callId: clientCallId } = session;
    const { sampleRate } = capture;
    session.queue = new ChunkQueue(
      {
        start: async () => {
          await this.api.startDesktopRecording({ clientCallId, sampleRate });
          // "Recording" only once the core has the file open: the indicator must not claim more than is true.
          if (this.session === session && this.state.status === "starting") this.move({ type: "started" });
        },
        append: (seq, pcm) => this.api.appendDesktopRecording({ clientCallId, seq, pcm }).then(() => undefined),
        stop: () => this.api.stopDesktopRecording({ clientCallId }).then(() => undefined),
      },
      { ...this.queueOptions, onFailed: (error) => this.fail(session, error) },
    );
    session.queue.start();
    for (const pcm of early.splice(0)) session.queue.push(pcm);
  }

  private end(session: Session): Promise<void> {
    session.ended ??= (async () => {
      if (this.session === session && isCapturing(this.state)) this.move({ type: "stop" });
      // A call that ends while the audio context starts still gets its file closed.
      await session.ready;
      await session.capture?.stop();
      await session.queue?.finish();
      if (this.session === session && this.state.status === "stopping") this.move({ type: "stopped" });
    })();
    return session.ended;
  }

  private fail(session: Session, error: unknown): void {
    console.warn("[recorder] desktop recording failed", error);
    if (this.session === session && (isCapturing(this.state) || this.state.status === "stopping")) this.move({ type: "fail", error });
    drop(this.end(session));
  }

  private move(event: DesktopRecordingEvent): void {
    this.state = desktopRecordingTransition(this.state, event);
    for (const listener of this.listeners) listener();
  }
}

const recorders = new WeakMap<RecordablePhone, DesktopRecorder>();

/** One recorder per Phone, made the first time a screen asks; it lives as long as the Phone does. */
export function desktopRecorderFor(phone: RecordablePhone, api: RecorderApi, startCapture?: StartCapture): DesktopRecorder {
  let recorder = recorders.get(phone);
  if (!recorder) {
    recorder = new DesktopRecorder(phone, api, startCapture);
    recorders.set(phone, recorder);
  }
  return recorder;
}
