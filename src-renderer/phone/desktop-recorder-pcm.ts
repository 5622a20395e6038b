/** Web Audio's float samples to the WAV's signed 16-bit, clamped (a hot microphone must not wrap around). */
export function floatToInt16(sample: number): number {
  if (!(sample > -1)) return -32768;
  if (sample >= 1) return 32767;
  return Math.round(sample < 0 ? sample * 32768 : sample * 32767);
}

/** How many frames make one chunk: ~250 ms at the context's rate. */
export function chunkFrames(sampleRate: number, chunkMs = 250): number {
  return Math.max(1, Math.round((sampleRate * chunkMs) / 1000));
}

/**
 * Collects render quanta (128 frames each in an AudioWorklet) into fixed-size
 * chunks of interleaved stereo s16: left the user, right the other party.
 * A missing side (no track yet, or paused) is written as silence, so the
 * timeline stays true.
 */
export class PcmChunker {
  private buffer: Int16Array;
  private filled = 0;

  constructor(private readonly frames: number) {
    this.buffer = new Int16Array(frames * 2);
  }

  /** Adds `count` frames; returns the chunks this completed (their buffers are handed over, not reused). */
  push(left: Float32Array | undefined, right: Float32Array | undefined, count: number, silent: boolean): ArrayBuffer[] {
    const done: ArrayBuffer[] = [];
    for (let i = 0; i < count; i++) {
      const at = this.filled * 2;
      this.buffer[at] = silent || left === undefined ? 0 : floatToInt16(left[i] ?? 0);
      this.buffer[at + 1] = silent || right === undefined ? 0 : floatToInt16(right[i] ?? 0);
      this.filled += 1;
      if (this.filled === this.frames) done.push(this.take());
    }
    return done;
  }

  /** What is left (a short last chunk), or null when nothing is. */
  flush(): ArrayBuffer | null {
    if (this.filled === 0) return null;
    const rest = this.buffer.slice(0, this.filled * 2).buffer;
    this.filled = 0;
    return rest;
  }

  private take(): ArrayBuffer {
    const full = this.buffer.buffer as ArrayBuffer;
    this.buffer = new Int16Array(this.frames * 2);
    this.filled = 0;
    return full;
  }
}

/** Little-endian bytes as base64, in slices (String.fromCharCode with one huge spread overflows the stack). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  const slice = 0x8000;
  for (let at = 0; at < bytes.length; at += slice) binary += String.fromCharCode(...bytes.subarray(at, at + slice));
  return btoa(binary);
}
