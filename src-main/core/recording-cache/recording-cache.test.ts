import { readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultRecordingCacheLimitBytes } from "../../../src-shared/api/areas/recordings";
import { storeClients } from "../store/open-knex";
import { openTempStore, type TempStore } from "../store/temp-store";
import { fileFor } from "./cache-files";
import { RecordingCache } from "./recording-cache";
import { fakeRecording } from "./testing";

describe.each(storeClients)("the recording cache on %s", (client) => {
  let store: TempStore;
  let dir: string;
  const clock = { now: 1000 };
  const tick = () => (clock.now += 1000);
  const open = async () => {
    const cache = new RecordingCache(store.knex, dir, () => clock.now);
    await cache.ready;
    return cache;
  };
  const files = async () => (await readdir(dir)).sort();
  const kept = async (cache: RecordingCache) => (await Promise.all(["1", "2", "3", "4"].map(async (id) => ((await cache.find(id)) ? id : null)))).filter((id) => id !== null);

  beforeEach(async () => {
    store = await openTempStore(client);
    dir = join(store.dir, "recordings");
    clock.now = 1000;
  });
  afterEach(() => store.dispose());

  it("keeps verified audio as <sha256>.wav and serves it back with its meta, touched as just used", async () => {
    const cache = await open();
    const { meta, bytes } = fakeRecording("1", 500, { canDownload: true });
    expect(await cache.put(meta, bytes, false)).toEqual({ kept: true, pinned: false });
    expect(await files()).toEqual([`${meta.sha256}.wav`]);
    tick();
    const hit = await cache.read("1");
    expect(hit?.bytes.equals(bytes)).toBe(true);
    expect(hit?.cached.meta).toEqual(meta);
    expect((await cache.find("1"))?.lastUsedAt).toBe(2000);
    expect(await cache.state()).toEqual({ usedBytes: 500, pinnedBytes: 0, count: 1, pinnedCount: 0, limitBytes: defaultRecordingCacheLimitBytes });
  });

  it("does not keep bytes that do not hash to the server's sha256", async () => {
    const cache = await open();
    const { meta, bytes } = fakeRecording("1", 500);
    bytes[10] = (bytes[10]! + 1) % 256;
    expect(await cache.put(meta, bytes, false)).toEqual({ kept: false, problem: "checksum_mismatch" });
    expect(await files()).toEqual([]);
    expect(await cache.read("1")).toBeNull();
  });

  it("evicts the least recently used first when a new recording needs room", async () => {
    const cache = await open();
    await cache.setLimit(1000);
    const [a, b, c] = [fakeRecording("1", 400), fakeRecording("2", 400), fakeRecording("3", 400)];
    await cache.put(a.meta, a.bytes, false);
    tick();
    await cache.put(b.meta, b.bytes, false);
    tick();
    await cache.read("1");
    tick();
    await cache.put(c.meta, c.bytes, false);
    expect(await kept(cache)).toEqual(["1", "3"]);
    expect(await files()).toEqual([a.meta.sha256, c.meta.sha256].map((sha) => `${sha}.wav`).sort());
    expect((await cache.state()).usedBytes).toBe(800);
  });

  it("never evicts a pinned recording, counts it toward the limit, and keeps nothing that cannot fit beside the pinned ones", async () => {
    const cache = await open();
    await cache.setLimit(1000);
    const [a, b, c, big] = [fakeRecording("1", 400), fakeRecording("2", 400), fakeRecording("3", 400), fakeRecording("4", 600)];
    await cache.put(a.meta, a.bytes, true);
    tick();
    await cache.put(b.meta, b.bytes, false);
    tick();
    await cache.put(c.meta, c.bytes, false);
    expect(await kept(cache)).toEqual(["1", "3"]);
    expect(await cache.setPinned("3", true)).toEqual({ ok: true, offline: "pinned" });
    expect(await cache.state()).toMatchObject({ usedBytes: 800, pinnedBytes: 800, pinnedCount: 2 });
    // Pinned 800 of 1000: 600 more cannot fit, pinned or not, and nothing is evicted trying.
    expect(await cache.put(big.meta, big.bytes, true)).toEqual({ kept: false, problem: "too_large", limitBytes: 1000, pinnedBytes: 800 });
    expect(await kept(cache)).toEqual(["1", "3"]);
    expect(await cache.setPinned("3", false)).toEqual({ ok: true, offline: "cached" });
    expect(await cache.put(big.meta, big.bytes, false)).toEqual({ kept: true, pinned: false });
    expect(await kept(cache)).toEqual(["1", "4"]);
  });

  it("playing a pinned recording again keeps it pinned; pinning one not kept answers null", async () => {
    const cache = await open();
    const a = fakeRecording("1", 300);
    await cache.put(a.meta, a.bytes, true);
    await cache.put(a.meta, a.bytes, false);
    expect((await cache.find("1"))?.pinned).toBe(true);
    expect(await cache.setPinned("9", true)).toBeNull();
  });

  it("a lower limit evicts unpinned ones, oldest use first; one below the pinned total is refused", async () => {
    const cache = await open();
    const recs = [fakeRecording("1", 300), fakeRecording("2", 300), fakeRecording("3", 300)];
    for (const r of recs) {
      await cache.put(r.meta, r.bytes, r.meta.id === "3");
      tick();
    }
    expect(await cache.setLimit(250)).toEqual({ ok: false, reason: "over_limit", limitBytes: 250, pinnedBytes: 300 });
    const reply = await cache.setLimit(650);
    expect(reply).toEqual({ ok: true, state: { usedBytes: 600, pinnedBytes: 300, count: 2, pinnedCount: 1, limitBytes: 650 } });
    expect(await kept(cache)).toEqual(["2", "3"]);
    expect((await open().then((again) => again.state())).limitBytes).toBe(650);
  });

  it("at start, removes files without a row (a crash between rename and insert) and temp files", async () => {
    const cache = await open();
    const { meta, bytes } = fakeRecording("1", 300);
    const orphan = fakeRecording("2", 300);
    await cache.put(meta, bytes, false);
    await writeFile(fileFor(dir, orphan.meta.sha256), orphan.bytes);
    await writeFile(join(dir, `.${orphan.meta.sha256}.00000000-0000-4000-8000-000000000000.tmp`), orphan.bytes.subarray(0, 10));
    await writeFile(join(dir, "notes.txt"), "not ours");
    await open();
    expect(await files()).toEqual([`${meta.sha256}.wav`, "notes.txt"]);
  });

  it("drops a row whose file was deleted by hand, at start and when read, and never serves it", async () => {
    const cache = await open();
    const [a, b] = [fakeRecording("1", 300), fakeRecording("2", 300)];
    await cache.put(a.meta, a.bytes, false);
    await cache.put(b.meta, b.bytes, true);
    await rm(fileFor(dir, a.meta.sha256));
    expect(await cache.read("1")).toBeNull();
    expect(await cache.find("1")).toBeUndefined();

    await rm(fileFor(dir, b.meta.sha256));
    const restarted = await open();
    expect(await restarted.find("2")).toBeUndefined();
    expect(await restarted.state()).toMatchObject({ count: 0, usedBytes: 0 });
  });

  it("drops a recording whose file changed on disk instead of serving other bytes", async () => {
    const cache = await open();
    const { meta, bytes } = fakeRecording("1", 300);
    await cache.put(meta, bytes, false);
    await writeFile(fileFor(dir, meta.sha256), Buffer.alloc(300));
    expect(await cache.read("1")).toBeNull();
    expect(await files()).toEqual([]);
  });

  it("two recordings with the same bytes share a file, which stays until neither is kept", async () => {
    const cache = await open();
    const a = fakeRecording("1", 300);
    await cache.put(a.meta, a.bytes, false);
    await cache.put({ ...a.meta, id: "2", callId: "102" }, a.bytes, false);
    await cache.forget(["1"]);
    expect((await cache.read("2"))?.bytes.equals(a.bytes)).toBe(true);
    await cache.forget(["2"]);
    expect(await files()).toEqual([]);
  });

  it("follows the server's list: download permission updated, recordings it no longer shows dropped", async () => {
    const cache = await open();
    const [a, b] = [fakeRecording("1", 300), fakeRecording("2", 300)];
    await cache.put(a.meta, a.bytes, false);
    await cache.put(b.meta, b.bytes, true);
    await cache.refresh([a.meta.callId, b.meta.callId], [{ id: "1", callId: a.meta.callId, durationMs: 1000, canDownload: true }]);
    expect((await cache.find("1"))?.meta.canDownload).toBe(true);
    expect(await cache.find("2")).toBeUndefined();
    expect(await files()).toEqual([`${a.meta.sha256}.wav`]);
  });

  it("clear removes every recording, pinned ones too", async () => {
    const cache = await open();
    const [a, b] = [fakeRecording("1", 300), fakeRecording("2", 300)];
    await cache.put(a.meta, a.bytes, false);
    await cache.put(b.meta, b.bytes, true);
    expect(await cache.clear()).toMatchObject({ count: 0, usedBytes: 0, pinnedBytes: 0 });
    expect(await files()).toEqual([]);
  });
});
