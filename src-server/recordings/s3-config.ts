import { readFileSync, statSync } from "node:fs";
import { CallerError } from "../../src-shared/errors";
import { parseEnvLines } from "../pbx/pbx-server-config";
import type { S3StorageConfig } from "./s3-storage";

type Env = Readonly<Record<string, string | undefined>>;

/** How the S3 settings reach the server: the flags that may be given, and the environment. */
export interface S3Settings {
  /** `--recordings-s3` / CALLER_RECORDINGS_S3: `https://host:port/bucket`. */
  url: string;
  /** `--recordings-s3-region` / CALLER_S3_REGION. */
  region?: string | undefined;
  /** `--recordings-s3-addressing` / CALLER_S3_ADDRESSING: `path` (default) or `virtual`. */
  addressing?: string | undefined;
  /** `--recordings-s3-credentials` / CALLER_S3_CREDENTIALS_FILE: KEY=VALUE lines, mode 0600. */
  credentialsFile?: string | undefined;
}

export interface FileAccess {
  readFile(file: string): string;
  /** The file's permission bits. */
  mode(file: string): number;
}

export const realFiles: FileAccess = { readFile: (file) => readFileSync(file, "utf8"), mode: (file) => statSync(file).mode & 0o777 };

const bucketName = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const bad = (message: string): CallerError => new CallerError("bad_request", `--recordings-s3: ${message}`);

/** The endpoint and bucket of `https://host:port/bucket`; the URL is never echoed whole, in case it carries a secret. */
function parseUrl(text: string): { endpoint: string; bucket: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad("not a URL: give https://host:port/bucket");
  }
  if (url.username !== "" || url.password !== "") {
    throw bad("the URL carries credentials; give them in CALLER_S3_ACCESS_KEY_ID and CALLER_S3_SECRET_ACCESS_KEY, or in a 0600 file (--recordings-s3-credentials), never on the command line");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw bad(`the scheme must be https (or http on a private network), got ${url.protocol}`);
  if (url.search !== "" || url.hash !== "") throw bad("no query or fragment: give https://host:port/bucket");
  const segments = url.pathname.split("/").filter((segment) => segment !== "");
  if (segments.length !== 1 || !bucketName.test(segments[0] ?? "")) throw bad(`name one bucket after the host (https://${url.host}/bucket; 3-63 of a-z 0-9 . -)`);
  return { endpoint: url.origin, bucket: segments[0] ?? "" };
}

function credentialsFrom(settings: S3Settings, env: Env, files: FileAccess): S3StorageConfig["credentials"] {
  let values: Env = env;
  let where = "CALLER_S3_ACCESS_KEY_ID and CALLER_S3_SECRET_ACCESS_KEY";
  if (settings.credentialsFile !== undefined && settings.credentialsFile !== "") {
    const file = settings.credentialsFile;
    let mode: number;
    let text: string;
    try {
      mode = files.mode(file);
      text = files.readFile(file);
    } catch (error) {
      throw new CallerError("bad_request", `--recordings-s3-credentials: ${error instanceof Error ? error.message : String(error)}`);
    }
    // The keys open every company's recordings: a file others can read gives them away.
    if ((mode & 0o077) !== 0) throw new CallerError("bad_request", `--recordings-s3-credentials: ${file} is readable by others (mode ${mode.toString(8).padStart(4, "0")}); chmod 600 it`);
    values = parseEnvLines(text);
    where = `CALLER_S3_ACCESS_KEY_ID and CALLER_S3_SECRET_ACCESS_KEY lines in ${file}`;
  }
  const accessKeyId = values.CALLER_S3_ACCESS_KEY_ID ?? "";
  const secretAccessKey = values.CALLER_S3_SECRET_ACCESS_KEY ?? "";
  if (accessKeyId === "" || secretAccessKey === "") throw new CallerError("bad_request", `S3 recording storage needs its keys: set ${where}`);
  return { accessKeyId, secretAccessKey };
}

/** The storage config for `--recordings-s3`, or a clear error naming the setting that is wrong (never a secret). */
export function s3ConfigFrom(settings: S3Settings, env: Env, files: FileAccess = realFiles): S3StorageConfig {
  const { endpoint, bucket } = parseUrl(settings.url);
  const region = settings.region ?? env.CALLER_S3_REGION ?? "us-east-1";
  if (!/^[a-z0-9-]{1,32}$/.test(region)) throw new CallerError("bad_request", `--recordings-s3-region: not a region name: "${region}"`);
  const addressing = settings.addressing ?? env.CALLER_S3_ADDRESSING ?? "path";
  if (addressing !== "path" && addressing !== "virtual") throw new CallerError("bad_request", `--recordings-s3-addressing must be path or virtual, got "${addressing}"`);
  return { endpoint, bucket, region, pathStyle: addressing === "path", credentials: credentialsFrom(settings, env, files) };
}
