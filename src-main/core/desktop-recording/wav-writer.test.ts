import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decode } from "node-wav";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CallerError } from "../../../src-shared/errors";
import { repairWav } from "./repair-wav";
import { bundleChild, type ChildBundle } from "./testing/bundle-child";
import { chunkOfSample, patternChunk } from "./testing/pcm-pattern";
import { WavWriter } from "./wav-writer";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "caller-wav-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Decodes with node-wav and checks every frame came from the chunk it should have, in order. */
async function decodedChunks(path: string, chunkFrames: number): Promise<{ frames: number; sampleRate: number }> {
  const wav = decode(await readFile(path));
  expect(wav.channelData).toHaveLength(2);
  const [left, right] = [wav.channelData[0]!, wav.channelData[1]!];
  for (let i = 0; i < left.length; i += 1) {
    if (chunkOfSample(left[i]!) !== Math.floor(i / chunkFrames)) throw new Error(`frame ${i} holds chunk ${chunkOfSample(left[i]!)}`);
    if (Math.abs(left[i]! + right[i]! * (32_768 / 32_767)) > 1e-6) throw new Error(`frame ${i}: the right channel is not the left's negative`);
  }
  return { frames: left.length, sampleRate: wav.sampleRate };
}

describe("the desktop WAV writer", () => {
  it("writes a two-channel 16-bit WAV that node-wav decodes: chunks in seq order, a repeat ignored", async () => {
    const path = join(dir, "call.wav");
    const writer = await WavWriter.create(path, 16_000);
    expect(await writer.append(0, patternChunk(0, 160))).toBe("written");
    expect(await writer.append(1, patternChunk(1, 160))).toBe("written");
    expect(await writer.append(1, patternChunk(1, 160))).toBe("duplicate");
    expect(await writer.append(0, patternChunk(0, 160))).toBe("duplicate");
    await writer.append(2, patternChunk(2, 80));
    expect(await writer.close()).toBe(44 + 400 * 4);
    expect(await decodedChunks(path, 160)).toEqual({ frames: 400, sampleRate: 16_000 });
  });

  it("refuses a gap in seq and a chunk that is not whole stereo frames, writing neither", async () => {
    const path = join(dir, "call.wav");
    const writer = await WavWriter.create(path, 8000);
    await writer.append(0, patternChunk(0, 10));
    await expect(writer.append(2, patternChunk(2, 10))).rejects.toThrow(/Chunk 2 arrived while 1 was expected/);
    await expect(writer.append(1, Buffer.alloc(6))).rejects.toThrow(CallerError);
    await writer.append(1, patternChunk(1, 10));
    await writer.close();
    expect(await decodedChunks(path, 10)).toEqual({ frames: 20, sampleRate: 8000 });
  });

  it("rewrites the header's sizes and fsyncs about once a second, not on every chunk", async () => {
    const clock = { now: 0 };
    const path = join(dir, "call.wav");
    const writer = await WavWriter.create(path, 8000, { now: () => clock.now });
    const dataSize = async () => (await readFile(path)).readUInt32LE(40);
    await writer.append(0, patternChunk(0, 100));
    clock.now = 999;
    await writer.append(1, patternChunk(1, 100));
    expect(await dataSize()).toBe(0);
    clock.now = 1000;
    await writer.append(2, patternChunk(2, 100));
    expect(await dataSize()).toBe(1200);
    await writer.close();
  });

  it("left without close (the app died), repairWav makes the file valid with every frame written", async () => {
    const path = join(dir, "call.wav");
    const writer = await WavWriter.create(path, 16_000, { syncEveryMs: 60_000 });
    for (let seq = 0; seq < 7; seq += 1) await writer.append(seq, patternChunk(seq, 320));
    expect(decode(await readFile(path)).channelData[0]).toHaveLength(0);

    expect(await repairWav(path)).toEqual({ sampleRate: 16_000, frames: 7 * 320, sizeBytes: 44 + 7 * 320 * 4 });
    expect(await decodedChunks(path, 320)).toEqual({ frames: 2240, sampleRate: 16_000 });
    // Repairing again changes nothing.
    expect(await repairWav(path)).toEqual({ sampleRate: 16_000, frames: 2240, sizeBytes: 44 + 2240 * 4 });
    await writer.close();
  });

  it("repairWav cuts a torn last frame, and answers null for no file or a file torn inside its header", async () => {
    const path = join(dir, "call.wav");
    const writer = await WavWriter.create(path, 8000, { syncEveryMs: 60_000 });
    await writer.append(0, patternChunk(0, 50));
    await appendFile(path, Buffer.from([1, 2, 3]));
    expect(await repairWav(path)).toMatchObject({ frames: 50, sizeBytes: 244 });
    expect((await stat(path)).size).toBe(244);
    expect(await decodedChunks(path, 50)).toEqual({ frames: 50, sampleRate: 8000 });
    await writer.close();

    expect(await repairWav(join(dir, "missing.wav"))).toBeNull();
    await writeFile(join(dir, "short.wav"), (await readFile(path)).subarray(0, 30));
    expect(await repairWav(join(dir, "short.wav"))).toBeNull();
  });
});

describe("a writer process killed with kill -9", () => {
  let child: ChildBundle;
  beforeAll(async () => {
    child = await bundleChild(new URL("./testing/wav-writer-child.ts", import.meta.url));
  }, 30_000);
  afterAll(async () => {
    await child?.remove();
  });

  it("after it wrote 25 chunks and idled: repairWav gives exactly those 25 chunks' frames", async () => {
    const path = join(dir, "killed.wav");
    const run = child.run([path, "48000", "480", "25"]);
    await run.waitFor(/idle\n/);
    await run.kill9();
    expect(await repairWav(path)).toMatchObject({ sampleRate: 48_000, frames: 25 * 480 });
    expect(await decodedChunks(path, 480)).toEqual({ frames: 12_000, sampleRate: 48_000 });
  });

  it("in the middle of writing: repairWav keeps at least every chunk it reported, whole and in order", async () => {
    const path = join(dir, "killed-mid.wav");
    const run = child.run([path, "16000", "4000", "0"]);
    await run.waitFor(/wrote 40\n/);
    await run.kill9();
    const reported = Number(/wrote (\d+)\n$/.exec(run.output())?.[1]) + 1;
    const repaired = await repairWav(path);
    expect(repaired?.frames).toBeGreaterThanOrEqual(reported * 4000);
    const { frames } = await decodedChunks(path, 4000);
    expect(frames).toBe(repaired?.frames);
  });
});
