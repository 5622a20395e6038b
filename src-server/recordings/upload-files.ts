import { createHash } from "node:crypto";
import { constants, createReadStream } from "node:fs";
import { mkdir, open, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";

const partName = /^upload-(\d{1,15})\.part$/;

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The partial files of uploads in progress, one per upload, in a directory of the server's own. */
export class UploadFiles {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  pathOf(uploadId: number): string {
    return join(this.#dir, `upload-${uploadId}.part`);
  }

  /** Bytes held: 0 when there is no file (none sent yet, or swept), so an offset above it is never trusted. */
  async length(uploadId: number): Promise<number> {
    try {
      return (await stat(this.pathOf(uploadId))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
      throw error;
    }
  }

  /**
   * Writes `bytes` at `offset` after cutting anything beyond it (a write whose offset was never
   * recorded, before a crash), and fsyncs before returning: the offset is moved only after this.
   */
  async writeAt(uploadId: number, offset: number, bytes: Buffer): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    const file = await open(this.pathOf(uploadId), constants.O_RDWR | constants.O_CREAT, 0o640);
    try {
      await file.truncate(offset);
      let done = 0;
      while (done < bytes.length) done += (await file.write(bytes, done, bytes.length - done, offset + done)).bytesWritten;
      await file.sync();
    } finally {
      await file.close();
    }
    // The first chunk made the file: its directory entry must survive a power cut too.
    if (offset === 0) await syncDirectory(this.#dir);
  }

  /**
   * sha256 of the first `length` bytes, read as a stream (recordings run to hundreds of MB). A missing
   * file hashes as empty: it can never match, so the upload starts over rather than failing forever.
   */
  sha256(uploadId: number, length: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const hash = createHash("sha256");
      const stream = length === 0 ? null : createReadStream(this.pathOf(uploadId), { start: 0, end: length - 1 });
      if (stream === null) return resolve(hash.digest("hex"));
      stream.on("data", (chunk) => hash.update(chunk));
      stream.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") resolve(hash.digest("hex"));
        else reject(error);
      });
      stream.on("end", () => resolve(hash.digest("hex")));
    });
  }

  async read(uploadId: number, length: number): Promise<Buffer> {
    const bytes = await readFile(this.pathOf(uploadId));
    return bytes.length === length ? bytes : bytes.subarray(0, length);
  }

  /** The upload ids that have a partial file here, whatever their rows say. */
  async ids(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.#dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return names.flatMap((name) => {
      const id = partName.exec(name)?.[1];
      return id === undefined ? [] : [Number(id)];
    });
  }

  remove(uploadId: number): Promise<void> {
    return rm(this.pathOf(uploadId), { force: true });
  }
}
