/** A chunk whose every frame says which chunk it is: left = seq + 1, right = −(seq + 1), so a file's content can be checked frame by frame. */
export function patternChunk(seq: number, frames: number): Buffer {
  const bytes = Buffer.alloc(frames * 4);
  const value = (seq % 32_000) + 1;
  for (let i = 0; i < frames; i += 1) {
    bytes.writeInt16LE(value, i * 4);
    bytes.writeInt16LE(-value, i * 4 + 2);
  }
  return bytes;
}

/** The chunk number each frame of decoded (float) left-channel audio came from, as patternChunk wrote it. */
export function chunkOfSample(sample: number): number {
  return Math.round(sample * 32_767) - 1;
}
