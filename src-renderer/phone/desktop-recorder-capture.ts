import workletUrl from "./desktop-recorder-worklet?worker&url";
import { chunkFrames } from "./desktop-recorder-pcm";
import { recorderProcessorName, type RecorderCommand, type RecorderMessage, type RecorderProcessorOptions } from "./desktop-recorder-protocol";

/** The call's audio to tap: the microphone track on the call (muted: disabled) and the remote stream the speaker plays. */
export interface CallMedia {
  microphone: MediaStreamTrack | null;
  remote: MediaStream | null;
}

export interface Capture {
  readonly sampleRate: number;
  setPaused(paused: boolean): void;
  /** The microphone was switched (or the remote track arrived late): tap the new ones. */
  useMedia(media: CallMedia): void;
  /** Hands over what is buffered, then closes the audio context. */
  stop(): Promise<void>;
}

export type StartCapture = (media: CallMedia, onChunk: (pcm: ArrayBuffer) => void) => Promise<Capture>;

// Speech needs no more; a quarter of 48 kHz keeps chunks and files small. Browsers that refuse a rate get their own.
const preferredRate = 16_000;
const flushTimeoutMs = 1000;

function newContext(): AudioContext {
  try {
    return new AudioContext({ sampleRate: preferredRate, latencyHint: "playback" });
  } catch {
    return new AudioContext({ latencyHint: "playback" });
  }
}

/**
 * A separate AudioContext that only listens: each track gets its own
 * MediaStreamAudioSourceNode into the recorder worklet, which has no outputs,
 * so the call's own playback (the <audio> element) and its sender are untouched.
 */
export const startCapture: StartCapture = async (media, onChunk) => {
  const context = newContext();
  try {
    await context.audioWorklet.addModule(workletUrl);
    const processorOptions: RecorderProcessorOptions = { chunkFrames: chunkFrames(context.sampleRate) };
    const node = new AudioWorkletNode(context, recorderProcessorName, {
      numberOfInputs: 2,
      numberOfOutputs: 0,
      channelCount: 1,
      channelCountMode: "explicit",
      channelInterpretation: "speakers",
      processorOptions,
    });
    await context.resume();
    return new WorkletCapture(context, node, media, onChunk);
  } catch (error) {
    await context.close().catch(() => undefined);
    throw error;
  }
};

class WorkletCapture implements Capture {
  private mic: { track: MediaStreamTrack; node: MediaStreamAudioSourceNode } | null = null;
  private remote: { track: MediaStreamTrack; node: MediaStreamAudioSourceNode } | null = null;
  private flushed: (() => void) | null = null;

  constructor(
    private readonly context: AudioContext,
    private readonly node: AudioWorkletNode,
    media: CallMedia,
    onChunk: (pcm: ArrayBuffer) => void,
  ) {
    node.port.onmessage = (event: MessageEvent<RecorderMessage>) => {
      if (event.data.type === "chunk") onChunk(event.data.pcm);
      else this.flushed?.();
    };
    this.useMedia(media);
  }

  get sampleRate(): number {
    return this.context.sampleRate;
  }

  setPaused(paused: boolean): void {
    this.command({ type: "pause", paused });
  }

  useMedia(media: CallMedia): void {
    this.mic = this.tap(this.mic, media.microphone, 0);
    this.remote = this.tap(this.remote, media.remote?.getAudioTracks()[0] ?? null, 1);
  }

  async stop(): Promise<void> {
    const done = new Promise<void>((resolve) => {
      this.flushed = resolve;
      setTimeout(resolve, flushTimeoutMs);
    });
    this.command({ type: "flush" });
    await done;
    this.mic?.node.disconnect();
    this.remote?.node.disconnect();
    this.node.port.onmessage = null;
    await this.context.close().catch(() => undefined);
  }

  private tap(
    current: { track: MediaStreamTrack; node: MediaStreamAudioSourceNode } | null,
    track: MediaStreamTrack | null,
    input: 0 | 1,
  ): { track: MediaStreamTrack; node: MediaStreamAudioSourceNode } | null {
    if (current?.track === track || track === null || track.readyState === "ended") return current;
    current?.node.disconnect();
    // A stream of its own: the call's streams gain and lose tracks (device switch) and the tap must not follow them blindly.
    const node = this.context.createMediaStreamSource(new MediaStream([track]));
    node.connect(this.node, 0, input);
    return { track, node };
  }

  private command(command: RecorderCommand): void {
    this.node.port.postMessage(command);
  }
}
