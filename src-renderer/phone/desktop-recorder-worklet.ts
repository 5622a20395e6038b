// Runs in the AudioWorkletGlobalScope (its own bundle, loaded with audioWorklet.addModule from the app's origin).
import { PcmChunker } from "./desktop-recorder-pcm";
import { recorderProcessorName, type RecorderCommand, type RecorderMessage, type RecorderProcessorOptions } from "./desktop-recorder-protocol";

declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: new (options: { processorOptions?: Partial<RecorderProcessorOptions> }) => AudioWorkletProcessor): void;

/** Input 0 is the user's microphone, input 1 the other party; each is mixed down to one channel. */
class DesktopRecorderProcessor extends AudioWorkletProcessor {
  private readonly chunker: PcmChunker;
  private paused = false;
  private flushed = false;

  constructor(options: { processorOptions?: Partial<RecorderProcessorOptions> }) {
    super();
    this.chunker = new PcmChunker(options.processorOptions?.chunkFrames ?? 4000);
    this.port.onmessage = (event: MessageEvent<RecorderCommand>) => this.command(event.data);
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.flushed) return false;
    const left = inputs[0]?.[0];
    const right = inputs[1]?.[0];
    const count = left?.length ?? right?.length ?? 128;
    for (const pcm of this.chunker.push(left, right, count, this.paused)) this.post({ type: "chunk", pcm });
    return true;
  }

  private command(command: RecorderCommand): void {
    if (command.type === "pause") {
      this.paused = command.paused;
      return;
    }
    const rest = this.chunker.flush();
    if (rest) this.post({ type: "chunk", pcm: rest });
    this.flushed = true;
    this.post({ type: "flushed" });
  }

  private post(message: RecorderMessage): void {
    if (message.type === "chunk") this.port.postMessage(message, [message.pcm]);
    else this.port.postMessage(message);
  }
}

registerProcessor(recorderProcessorName, DesktopRecorderProcessor);
