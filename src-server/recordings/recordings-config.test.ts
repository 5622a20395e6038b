import { describe, expect, it } from "vitest";
import { parseCliOptions } from "../cli-options";
import { describeRecordings, recordingPaths } from "./recordings-setup";
import type { FileAccess } from "./s3-config";

const sqlite = { kind: "sqlite", file: "/srv/caller/server.sqlite" } as const;
const keys = { CALLER_S3_ACCESS_KEY_ID: "AKIDEXAMPLE", CALLER_S3_SECRET_ACCESS_KEY: "wJalrXUtnFEMI-secret" };

/** Files as a test lays them out: text and permission bits. */
function files(layout: Record<string, { text: string; mode: number }>): FileAccess {
  const find = (file: string) => {
    const entry = layout[file];
    if (entry === undefined) throw new Error(`ENOENT: no such file, open '${file}'`);
    return entry;
  };
  return { readFile: (file) => find(file).text, mode: (file) => find(file).mode };
}

describe("where recordings are kept", () => {
  it("a directory beside the SQLite file unless told, with desktop uploads inside it, as before", () => {
    expect(recordingPaths([], {}, sqlite, files({}))).toEqual({
      store: { kind: "directory", dir: "/srv/caller/recordings" },
      uploadsDir: "/srv/caller/recordings/.uploads",
      pbxRecordings: "spool",
      sourceDir: null,
      uploadAbandonMs: 14 * 24 * 3600 * 1000,
    });
  });

  it("an S3 bucket from --recordings-s3 with keys from the environment; uploads in progress stay on local disk", () => {
    const paths = recordingPaths(["--recordings-s3", "https://s3.example.net:8443/call-recordings", "--recordings-s3-region", "eu-west-1"], keys, sqlite, files({}));
    expect(paths.store).toEqual({
      kind: "s3",
      config: { endpoint: "https://s3.example.net:8443", bucket: "call-recordings", region: "eu-west-1", pathStyle: true, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI-secret" } },
    });
    expect(paths.uploadsDir).toBe("/srv/caller/recording-uploads");
    expect(describeRecordings(paths)).toBe("recordings: S3 https://s3.example.net:8443/call-recordings (eu-west-1, path-style); no PBX spool");
    expect(describeRecordings(paths)).not.toContain("secret");
  });

  it("takes the same from the environment, virtual-hosted addressing, and keys from a 0600 file", () => {
    const env = { CALLER_RECORDINGS_S3: "https://s3.example.net/rec", CALLER_S3_ADDRESSING: "virtual", CALLER_S3_CREDENTIALS_FILE: "/etc/caller/s3.env", CALLER_UPLOADS_DIR: "/var/spool/caller-uploads" };
    const layout = files({ "/etc/caller/s3.env": { text: "CALLER_S3_ACCESS_KEY_ID=file-key\nCALLER_S3_SECRET_ACCESS_KEY=file-secret\n", mode: 0o600 } });
    const paths = recordingPaths([], env, sqlite, layout);
    expect(paths.store).toMatchObject({ kind: "s3", config: { endpoint: "https://s3.example.net", bucket: "rec", pathStyle: false, credentials: { accessKeyId: "file-key", secretAccessKey: "file-secret" } } });
    expect(paths.uploadsDir).toBe("/var/spool/caller-uploads");
  });

  it("in shipper mode the server reads no spool, even when pbx.env names one", () => {
    const layout = files({ "/run/pbx.env": { text: "PBX_RECORDINGS_DIR=/var/spool/asterisk/monitor\n", mode: 0o600 } });
    expect(recordingPaths(["--pbx-env", "/run/pbx.env"], {}, sqlite, layout)).toMatchObject({ pbxRecordings: "spool", sourceDir: "/var/spool/asterisk/monitor" });
    const shipped = recordingPaths(["--pbx-env", "/run/pbx.env", "--pbx-recordings", "shipper"], {}, sqlite, layout);
    expect(shipped).toMatchObject({ pbxRecordings: "shipper", sourceDir: null });
    expect(describeRecordings(shipped)).toBe("recordings: directory /srv/caller/recordings; PBX recordings from shippers (PUT /pbx/recordings)");
    expect(recordingPaths([], { CALLER_PBX_RECORDINGS: "shipper", PBX_RECORDINGS_DIR: "/x" }, sqlite, layout).sourceDir).toBeNull();
  });

  const open = files({ "/etc/caller/open.env": { text: "CALLER_S3_ACCESS_KEY_ID=k\nCALLER_S3_SECRET_ACCESS_KEY=s\n", mode: 0o644 }, "/etc/caller/empty.env": { text: "\n", mode: 0o600 } });
  it.each([
    [["--recordings-s3", "https://AKID:topsecret@s3.example.net/rec"], keys, /carries credentials.*never on the command line/],
    [["--recordings-s3", "s3.example.net/rec"], keys, /not a URL/],
    [["--recordings-s3", "ftp://s3.example.net/rec"], keys, /scheme must be https/],
    [["--recordings-s3", "https://s3.example.net/"], keys, /name one bucket/],
    [["--recordings-s3", "https://s3.example.net/a/b"], keys, /name one bucket/],
    [["--recordings-s3", "https://s3.example.net/rec?region=x"], keys, /no query/],
    [["--recordings-s3", "https://s3.example.net/rec"], {}, /needs its keys: set CALLER_S3_ACCESS_KEY_ID and CALLER_S3_SECRET_ACCESS_KEY/],
    [["--recordings-s3", "https://s3.example.net/rec", "--recordings-s3-credentials", "/etc/caller/open.env"], {}, /open\.env is readable by others \(mode 0644\); chmod 600 it/],
    [["--recordings-s3", "https://s3.example.net/rec", "--recordings-s3-credentials", "/etc/caller/empty.env"], keys, /lines in \/etc\/caller\/empty\.env/],
    [["--recordings-s3", "https://s3.example.net/rec", "--recordings-s3-credentials", "/missing.env"], keys, /--recordings-s3-credentials: ENOENT/],
    [["--recordings-s3", "https://s3.example.net/rec", "--recordings-s3-region", "Mars 1"], keys, /not a region name/],
    [["--recordings-s3", "https://s3.example.net/rec", "--recordings-s3-addressing", "dns"], keys, /path or virtual/],
    [["--recordings-s3", "https://s3.example.net/rec", "--recordings-dir", "/r"], keys, /not both/],
    [["--pbx-recordings", "rsync"], {}, /spool or shipper, got "rsync"/],
  ])("the command line refuses %j with a message naming the problem, and never echoes the secret", (argv, env, message) => {
    let thrown: unknown;
    try {
      parseCliOptions(argv, env, () => "", open);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toMatch(/topsecret|wJalrXUtnFEMI/);
  });
});
