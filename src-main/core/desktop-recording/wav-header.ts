/** The canonical 44-byte header of a PCM WAV: RIFF, a 16-byte fmt chunk, then the data chunk. */
export const wavHeaderBytes = 44;
export const channels = 2;
export const bitsPerSample = 16;
/** Bytes per frame: one 16-bit sample for each of the two channels. */
export const frameBytes = (channels * bitsPerSample) / 8;

/** A header for `dataBytes` of audio (0 while recording: the sizes are rewritten as the file grows). */
export function wavHeader(sampleRate: number, dataBytes: number): Buffer {
  const header = Buffer.alloc(wavHeaderBytes);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * frameBytes, 28);
  header.writeUInt16LE(frameBytes, 32);
  header.writeUInt16LE(bitsPerSample, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/** The two size fields as 4-byte writes: [offset, value] for RIFF (file length − 8) and data. */
export function sizeFields(dataBytes: number): [number, Buffer][] {
  const riff = Buffer.alloc(4);
  riff.writeUInt32LE(36 + dataBytes);
  const data = Buffer.alloc(4);
  data.writeUInt32LE(dataBytes);
  return [
    [4, riff],
    [40, data],
  ];
}

export interface ParsedHeader {
  sampleRate: number;
  channels: number;
  blockAlign: number;
}

/** The header this writer writes, or null for anything else (a file torn before its header landed). */
export function parseWavHeader(header: Buffer): ParsedHeader | null {
  if (header.length < wavHeaderBytes) return null;
  const tag = (at: number) => header.toString("ascii", at, at + 4);
  if (tag(0) !== "RIFF" || tag(8) !== "WAVE" || tag(12) !== "fmt " || tag(36) !== "data") return null;
  const blockAlign = header.readUInt16LE(32);
  if (header.readUInt16LE(20) !== 1 || blockAlign === 0) return null;
  return { sampleRate: header.readUInt32LE(24), channels: header.readUInt16LE(22), blockAlign };
}
