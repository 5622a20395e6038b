import { readdir } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findUserByEmail } from "../db/users-repo";
import { demoCredentials, seedDemo } from "../seed/demo";
import { openSqliteTestDb, type TestDb } from "../test-support/test-db";
import { parseByteRange } from "./byte-range";
import { computePeaks } from "./peaks";
import { ingestFromSpool } from "./ingest-recording";
import { RecordingIngestService, sourcesIn } from "./recording-ingest-service";
import { directoryStorage } from "./recording-storage";
import { insertCall, tempDir, toneWav, type TempDir } from "./testing/recording-fixtures";

describe("waveform peaks", () => {
  it("are min/max pairs of 1000 equal slices per channel", () => {
    const ramp = Float32Array.from({ length: 8000 }, (_, i) => i / 8000 - 0.5);
    const [peaks] = computePeaks([ramp]);
    expect(peaks).toHaveLength(1000);
    expect(peaks![0]).toEqual([-0.5, 0]);
    expect(peaks![999]![1]).toBe(0.5);
    // Each slice covers 8 samples of the ramp: its max is 7/8000 above its min.
    expect(peaks![500]![1] - peaks![500]![0]).toBeCloseTo(0.001, 3);
  });

  it("have one pair per sample when there are fewer than 1000, and stay within [-1, 1]", () => {
    const peaks = computePeaks([Float32Array.from([0.25, -2, 3])]);
    expect(peaks).toEqual([[[0, 0.25], [-1, 0], [0, 1]]]);
  });
});

describe("HTTP Range", () => {
  it.each([
    [undefined, undefined],
    ["bytes=0-9", { start: 0, end: 9 }],
    ["bytes=90-", { start: 90, end: 99 }],
    ["bytes=-5", { start: 95, end: 99 }],
    ["bytes=50-500", { start: 50, end: 99 }],
    ["bytes=0-9,20-29", { start: 0, end: 9 }],
    ["bytes=100-", null],
    ["bytes=9-1", null],
    ["bytes=-0", null],
    ["items=0-1", null],
  ])("%s of 100 bytes → %j", (header, expected) => {
    expect(parseByteRange(header, 100)).toEqual(expected);
  });
});

describe("the ingest service on the PBX's recordings directory", () => {
  let test: TestDb;
  let source: TempDir;
  let store: TempDir;
  beforeEach(async () => {
    test = await openSqliteTestDb();
    await seedDemo(test.db, 1);
    source = await tempDir("caller-rec-src-");
    store = await tempDir("caller-rec-store-");
  });
  afterEach(async () => {
    await test.close();
    await source.remove();
    await store.remove();
  });

  it("groups MixMonitor's files by call", () => {
    expect(sourcesIn("/r", ["1.5.wav", "1.5-user.wav", "1.5-other.wav", "pbx-a-2.7-user.wav", "notes.txt", "../x.wav", "a b.wav"])).toEqual([
      { uniqueid: "1.5", mix: "/r/1.5.wav", user: "/r/1.5-user.wav", other: "/r/1.5-other.wav" },
      { uniqueid: "pbx-a-2.7", user: "/r/pbx-a-2.7-user.wav" },
    ]);
  });

  it("a sweep stores ended calls' recordings and removes their files; a live or unknown call's files stay", async () => {
    const sales = (await findUserByEmail(test.db, demoCredentials.sales.email))!;
    const ended = await insertCall(test.db, sales);
    const live = await insertCall(test.db, sales, "authorized");
    for (const uniqueid of [ended.uniqueid, live.uniqueid, "1999999999.9"]) {
      await source.file(`${uniqueid}.wav`, toneWav(1, 0.1));
      await source.file(`${uniqueid}-user.wav`, toneWav(1, 0.1));
      await source.file(`${uniqueid}-other.wav`, toneWav(1, 0.1));
    }
    const log = { info: () => undefined, warn: () => undefined, error: (details: object) => console.error(details) };
    const service = new RecordingIngestService({ ingest: ingestFromSpool(test.db, directoryStorage(store.path), () => 2), sourceDir: source.path, log, sweepEveryMs: 0 });
    service.start();
    await service.whenIdle();
    await service.stop();
    expect(await test.db("recordings").select("call_id")).toEqual([{ call_id: ended.id }]);
    expect((await readdir(source.path)).sort()).toEqual(
      [live.uniqueid, "1999999999.9"].flatMap((u) => [`${u}-other.wav`, `${u}-user.wav`, `${u}.wav`]).sort(),
    );
  });

  it("after a hangup, keeps trying while the call's CDR is late (10 settle periods and more), then stores the recording", async () => {
    const sales = (await findUserByEmail(test.db, demoCredentials.sales.email))!;
    const call = await insertCall(test.db, sales, "authorized");
    await source.file(`${call.uniqueid}.wav`, toneWav(1, 0.1));
    const log = { info: () => undefined, warn: () => undefined, error: (details: object) => console.error(details) };
    const service = new RecordingIngestService({ ingest: ingestFromSpool(test.db, directoryStorage(store.path), () => 2), sourceDir: source.path, log, settleMs: 20, sweepEveryMs: 0 });
    service.hungUp(call.uniqueid);
    // The CDR comes 15 settle periods after the hangup (the old retries gave up after 10).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await test.db("recordings").count({ n: "*" })).toEqual([{ n: 0 }]);
    await test.db("calls").where({ id: call.id }).update({ status: "ended" });
    await expect.poll(async () => (await test.db("recordings").select("call_id")) as unknown, { timeout: 5_000 }).toEqual([{ call_id: call.id }]);
    await service.stop();
    expect(await readdir(source.path)).toEqual([]);
  });
});
