import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { checkRecordingKey, type ByteRange, type RecordingStorage } from "./recording-storage";

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface S3StorageConfig {
  /** Scheme, host and port of the S3 endpoint (no bucket, no credentials). */
  endpoint: string;
  bucket: string;
  region: string;
  /** Bucket in the path (`host/bucket/key`), as most S3-compatible stores need; false: `bucket.host/key`. */
  pathStyle: boolean;
  credentials: S3Credentials;
  /** Objects larger than this go up as a multipart upload of parts this size (S3's minimum part is 5 MiB). */
  partSizeBytes?: number;
  /** Parts in flight at once during a multipart upload. */
  partConcurrency?: number;
}

/** An S3 call that failed, with the operation, the object and what the store said; never the credentials. */
export class StorageError extends Error {
  override readonly name = "StorageError";
  constructor(
    readonly operation: string,
    readonly key: string,
    readonly status: number | undefined,
    detail: string,
  ) {
    super(`S3 ${operation} ${key}: ${detail}`);
  }
}

const defaultPartSize = 8 * 1024 * 1024;
const minPartSize = 5 * 1024 * 1024;

function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

/** What a HEAD (no body, so no S3 error code) was refused for, by its status. */
const statusMeaning: Record<number, string> = { 403: "Forbidden: the keys are wrong, or may not use this bucket", 404: "NotFound" };

function describe(error: unknown): string {
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode;
    const name = (error.name === "Unknown" || error.name === "UnknownError") && status !== undefined ? (statusMeaning[status] ?? "Unknown") : error.name;
    const detail = error.message && error.message !== error.name && error.message !== "UnknownError" ? `: ${error.message}` : "";
    return `${name} (HTTP ${status ?? "?"})${detail}`;
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === undefined ? error.message : `${code}: ${error.message}`;
  }
  return String(error);
}

const md5 = (bytes: Uint8Array): string => createHash("md5").update(bytes).digest("base64");

/** What one S3 storage shows to a log line: where, never who. */
export function describeS3(config: Pick<S3StorageConfig, "endpoint" | "bucket" | "region" | "pathStyle">): string {
  return `${config.endpoint}/${config.bucket} (${config.region}, ${config.pathStyle ? "path-style" : "virtual-hosted"})`;
}

export interface S3Storage extends RecordingStorage {
  /** Throws a StorageError when the bucket cannot be reached with these credentials (a start-up check). */
  probe(): Promise<void>;
  close(): void;
}

/**
 * Recordings in an S3 bucket, under the same content-addressed keys as the directory. A put lands
 * whole or not at all: PutObject is atomic, and a multipart upload becomes visible only on its
 * Complete (a failed one is aborted so its parts do not linger). Every body carries Content-MD5, so
 * the store refuses bytes damaged on the way. Reads are GetObject streams, with Range for seeking.
 */
export function s3Storage(config: S3StorageConfig): S3Storage {
  const partSize = Math.max(minPartSize, config.partSizeBytes ?? defaultPartSize);
  const concurrency = Math.max(1, config.partConcurrency ?? 4);
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.pathStyle,
    credentials: config.credentials,
    // Content-MD5 (sent with every body) is the end-to-end check every S3-compatible store knows; the
    // SDK's newer default CRC checksums are not implemented by all of them, so it adds none of its own.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 3,
  });
  const Bucket = config.bucket;

  const fail = (operation: string, key: string, error: unknown): StorageError => new StorageError(operation, key, statusOf(error), describe(error));

  async function putMultipart(key: string, bytes: Buffer): Promise<void> {
    const created = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: key, ContentType: "audio/wav" })).catch((error: unknown) => {
      throw fail("CreateMultipartUpload", key, error);
    });
    const UploadId = created.UploadId;
    if (UploadId === undefined) throw new StorageError("CreateMultipartUpload", key, undefined, "the store gave no UploadId");
    const count = Math.ceil(bytes.length / partSize);
    const etags: string[] = new Array<string>(count);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        const index = next;
        next += 1;
        const body = bytes.subarray(index * partSize, Math.min(bytes.length, (index + 1) * partSize));
        const part = await client.send(new UploadPartCommand({ Bucket, Key: key, UploadId, PartNumber: index + 1, Body: body, ContentLength: body.length, ContentMD5: md5(body) }));
        if (part.ETag === undefined) throw new Error(`part ${index + 1} has no ETag`);
        etags[index] = part.ETag;
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
      await client.send(
        new CompleteMultipartUploadCommand({ Bucket, Key: key, UploadId, MultipartUpload: { Parts: etags.map((ETag, index) => ({ ETag, PartNumber: index + 1 })) } }),
      );
    } catch (error) {
      // Best effort: the upload was never completed, so nothing is visible either way.
      await client.send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId })).catch(() => undefined);
      throw fail("multipart upload", key, error);
    }
  }

  return {
    async put(key, bytes) {
      checkRecordingKey(key);
      if (bytes.length > partSize) return putMultipart(key, bytes);
      try {
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: bytes, ContentLength: bytes.length, ContentMD5: md5(bytes), ContentType: "audio/wav" }));
      } catch (error) {
        throw fail("PutObject", key, error);
      }
    },

    async size(key) {
      checkRecordingKey(key);
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        if (head.ContentLength === undefined) throw new StorageError("HeadObject", key, 200, "no Content-Length");
        return head.ContentLength;
      } catch (error) {
        if (statusOf(error) === 404) return null;
        if (error instanceof StorageError) throw error;
        throw fail("HeadObject", key, error);
      }
    },

    read(key: string, range?: ByteRange): Readable {
      checkRecordingKey(key);
      const abort = new AbortController();
      async function* body(): AsyncGenerator<Uint8Array> {
        let response;
        try {
          response = await client.send(new GetObjectCommand({ Bucket, Key: key, ...(range === undefined ? {} : { Range: `bytes=${range.start}-${range.end}` }) }), { abortSignal: abort.signal });
        } catch (error) {
          throw fail("GetObject", key, error);
        }
        if (!(response.Body instanceof Readable)) throw new StorageError("GetObject", key, 200, "no body stream");
        try {
          // Streamed as it arrives: a long recording is never held in memory, and a client that goes away stops the download.
          yield* response.Body as AsyncIterable<Uint8Array>;
        } finally {
          response.Body.destroy();
        }
      }
      const stream = Readable.from(body(), { objectMode: false });
      stream.once("close", () => abort.abort());
      return stream;
    },

    async probe() {
      try {
        await client.send(new HeadBucketCommand({ Bucket }));
      } catch (error) {
        throw fail("HeadBucket", Bucket, error);
      }
    },

    close: () => client.destroy(),
  };
}
