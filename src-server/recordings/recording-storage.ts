import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { Readable } from "node:stream";

/** Inclusive byte range, as HTTP Range gives it. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where recordings live. Keys are content-addressed (`c<company>/<sha256>.wav`),
 * so `put` of a key that exists may keep the old bytes. A directory by default;
 * S3 (s3-storage.ts) implements the same three calls with PutObject (multipart
 * when large), HeadObject, and GetObject with Range.
 */
export interface RecordingStorage {
  put(key: string, bytes: Buffer): Promise<void>;
  /** Size in bytes, or null when the key is not stored. */
  size(key: string): Promise<number | null>;
  read(key: string, range?: ByteRange): Readable;
}

const keyPattern = /^[a-z0-9]+(\/[a-z0-9][a-z0-9._-]{0,200})+$/;

/** Every storage refuses a key that is not one `recordingKey` could make (so none can leave its root or prefix). */
export function checkRecordingKey(key: string): void {
  if (!keyPattern.test(key) || key.includes("..")) throw new Error(`Not a recording key: ${key}`);
}

export function recordingKey(companyId: number, sha256: string): string {
  return `c${companyId}/${sha256}.wav`;
}

/** Files under one root; a write lands whole (temp file, fsync, rename) or not at all. */
export function directoryStorage(root: string): RecordingStorage {
  const base = resolve(root);
  const pathOf = (key: string): string => {
    checkRecordingKey(key);
    const path = resolve(join(base, key));
    if (!path.startsWith(base + sep)) throw new Error(`Recording key leaves the storage root: ${key}`);
    return path;
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
      const file = await open(temp, "w", 0o640);
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      try {
        await rename(temp, path);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    async size(key) {
      try {
        return (await stat(pathOf(key))).size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    read(key, range) {
      return createReadStream(pathOf(key), range === undefined ? {} : { start: range.start, end: range.end });
    },
  };
}
