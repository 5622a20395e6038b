import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCore } from "./create-core";
import { WavWriter } from "./desktop-recording/wav-writer";
import { fileFor, sha256Hex, writeAtomically } from "./recording-cache/cache-files";
import { openStore } from "./store/open-store";

let parent: string;
let umask: number;
const mode = async (path: string) => ((await stat(path)).mode & 0o777).toString(8);

beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), "caller-private-"));
  // The widest umask: whatever ends up private is so because the core made it so.
  umask = process.umask(0);
});
afterEach(async () => {
  process.umask(umask);
  await rm(parent, { recursive: true, force: true });
});

async function openAndWrite(dataDir: string) {
  const core = await createCore({ dataDir, serverUrl: null, shell: "node-host", version: "test" });
  // A write, so the WAL and its index exist.
  await core.handlers.updateSettings({ defaultCountry: "JP" });
  return core;
}

describe("the desktop's data folder", () => {
  it("is made 0700, with the store, its WAL and index 0600, on a fresh start", async () => {
    const dataDir = join(parent, "caller-desktop");
    const core = await openAndWrite(dataDir);
    try {
      expect(await mode(dataDir)).toBe("700");
      for (const file of ["caller.sqlite", "caller.sqlite-wal", "caller.sqlite-shm"]) expect(await mode(join(dataDir, file)), file).toBe("600");
    } finally {
      await core.close();
    }
  });

  it("is put right when an older version left it and its files open to other users", async () => {
    const dataDir = join(parent, "caller-desktop");
    await mkdir(dataDir, { mode: 0o755 });
    const old = await openStore({ file: join(dataDir, "caller.sqlite") });
    await old.knex("settings").insert({ key: "k", value: "1" });
    await old.close();
    await chmod(join(dataDir, "caller.sqlite"), 0o644);
    await writeFile(join(dataDir, "caller.sqlite-shm"), "", { mode: 0o644 });
    await chmod(join(dataDir, "caller.sqlite-shm"), 0o644);
    for (const dir of ["recordings", "recordings-out"]) {
      await mkdir(join(dataDir, dir), { mode: 0o755 });
      await writeFile(join(dataDir, dir, "a.wav"), "RIFF", { mode: 0o644 });
    }
    await chmod(dataDir, 0o755);

    const core = await openAndWrite(dataDir);
    try {
      expect(await mode(dataDir)).toBe("700");
      for (const file of ["caller.sqlite", "caller.sqlite-wal", "caller.sqlite-shm"]) expect(await mode(join(dataDir, file)), file).toBe("600");
      for (const dir of ["recordings", "recordings-out"]) {
        expect(await mode(join(dataDir, dir)), dir).toBe("700");
        expect(await mode(join(dataDir, dir, "a.wav")), dir).toBe("600");
      }
    } finally {
      await core.close();
    }
  });

  it("keeps new recordings, cached and being uploaded, the user's alone", async () => {
    const cache = join(parent, "data", "recordings");
    const bytes = new TextEncoder().encode("RIFF....WAVE");
    await writeAtomically(cache, sha256Hex(bytes), bytes);
    expect(await mode(cache)).toBe("700");
    expect(await mode(fileFor(cache, sha256Hex(bytes)))).toBe("600");

    const outgoing = join(parent, "data", "recordings-out", "call-1.wav");
    const writer = await WavWriter.create(outgoing, 48_000);
    await writer.close();
    expect(await mode(join(parent, "data", "recordings-out"))).toBe("700");
    expect(await mode(outgoing)).toBe("600");
  });
});
