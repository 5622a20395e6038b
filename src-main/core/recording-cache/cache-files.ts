import { createHash, randomUUID } from "node:crypto";
import { mkdir, open, readFile, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";

export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

const wavName = /^([0-9a-f]{64})\.wav$/;
const tmpName = /^\.[0-9a-f]{64}\.[0-9a-f-]{36}\.tmp$/;

export const fileFor = (dir: string, sha256: string): string => join(dir, `${sha256}.wav`);

/** The cache's files on disk: complete ones by sha256, and temp files a crash left mid-write. */
export async function listCacheFiles(dir: string): Promise<{ complete: string[]; partial: string[] }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const names = await readdir(dir);
  return {
    complete: names.flatMap((name) => wavName.exec(name)?.[1] ?? []),
    partial: names.filter((name) => tmpName.test(name)).map((name) => join(dir, name)),
  };
}

/** Linux makes a rename durable only once the directory is synced; Windows cannot open a directory, and does not need it. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r").catch(() => null);
  await handle?.sync().catch(() => undefined);
  await handle?.close();
}

/** Temp file, fsync, rename, fsync the directory: a crash leaves the old state or the whole file, never a torn one. */
export async function writeAtomically(dir: string, sha256: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${sha256}.${randomUUID()}.tmp`);
  const handle = await open(tmp, "w", 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, fileFor(dir, sha256));
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await syncDir(dir);
}

/** The file's bytes when they still hash to `sha256`; null when missing or changed on disk. */
export async function readVerified(dir: string, sha256: string): Promise<Buffer | null> {
  const bytes = await readFile(fileFor(dir, sha256)).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  });
  return bytes !== null && sha256Hex(bytes) === sha256 ? bytes : null;
}

export const removeFile = (path: string): Promise<void> => rm(path, { force: true });
