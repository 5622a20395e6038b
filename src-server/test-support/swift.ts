import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { parseEnvLines } from "../pbx/pbx-server-config";
import { s3Storage, type S3Credentials, type S3Storage, type S3StorageConfig } from "../recordings/s3-storage";

const run = promisify(execFile);
const script = resolve(dirname(fileURLToPath(import.meta.url)), "../../scripts/swift.sh");

/** A private Swift (scripts/swift.sh) with s3api on loopback, for tests. */
export interface SwiftInstance {
  /** http://127.0.0.1:<port>: the S3 endpoint. */
  endpoint: string;
  region: string;
  credentials: S3Credentials;
  runtimeDir: string;
  /** Makes a bucket and returns the storage config for it (path-style, as Swift needs). */
  createBucket(name: string): Promise<S3StorageConfig>;
  /** Storage on a bucket made by createBucket; closed by stop(). */
  storage(config: S3StorageConfig): S3Storage;
  stop(): Promise<void>;
}

export async function startSwift(instance: string): Promise<SwiftInstance> {
  const env = { ...process.env, SWIFT_INSTANCE: instance };
  const { stdout } = await run("bash", [script, "up"], { env, timeout: 120_000 });
  const facts = parseEnvLines(stdout);
  const secrets = parseEnvLines(await readFile(facts.SWIFT_ENV_FILE ?? "", "utf8"));
  const endpoint = facts.SWIFT_S3_URL ?? "";
  const region = facts.SWIFT_S3_REGION ?? "us-east-1";
  const credentials = { accessKeyId: secrets.SWIFT_S3_ACCESS_KEY_ID ?? "", secretAccessKey: secrets.SWIFT_S3_SECRET_ACCESS_KEY ?? "" };
  const opened: S3Storage[] = [];
  return {
    endpoint,
    region,
    credentials,
    runtimeDir: facts.SWIFT_RUNTIME_DIR ?? "",
    async createBucket(name) {
      const client = new S3Client({ endpoint, region, credentials, forcePathStyle: true });
      try {
        await client.send(new CreateBucketCommand({ Bucket: name }));
      } finally {
        client.destroy();
      }
      return { endpoint, bucket: name, region, pathStyle: true, credentials };
    },
    storage(config) {
      const storage = s3Storage(config);
      opened.push(storage);
      return storage;
    },
    async stop() {
      for (const storage of opened) storage.close();
      await run("bash", [script, "down"], { env: { ...env, SWIFT_PURGE: "1" }, timeout: 30_000 });
    },
  };
}
