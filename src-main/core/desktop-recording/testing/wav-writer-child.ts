import { WavWriter } from "../wav-writer";
import { patternChunk } from "./pcm-pattern";

// A writer in its own process, for the test to kill -9: `<path> <sampleRate> <chunkFrames> <chunks, or 0 for no end>`.
// Prints "wrote <seq>" after each chunk has been written, and "idle" once it wrote them all (then waits, never closing).
const [path, rate, frames, count] = process.argv.slice(2);
const writer = await WavWriter.create(path!, Number(rate), { syncEveryMs: 1000 });
const total = Number(count);
for (let seq = 0; total === 0 || seq < total; seq += 1) {
  await writer.append(seq, patternChunk(seq, Number(frames)));
  process.stdout.write(`wrote ${seq}\n`);
}
process.stdout.write("idle\n");
setInterval(() => undefined, 60_000);
