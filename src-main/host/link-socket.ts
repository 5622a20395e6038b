import { createHash } from "node:crypto";
import { chmod, lstat, mkdir, rm } from "node:fs/promises";
import { createConnection, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { isDialUri } from "../../src-shared/desktop/is-dial-uri";

const maxMessageBytes = 4096;
const connectionTimeoutMs = 2_000;
// sun_path holds 108 bytes on Linux, 104 on macOS.
const maxSocketPath = 100;

/** Where the running host listens for links: in its data dir, or (a long path) in $XDG_RUNTIME_DIR. */
export function linkSocketPath(dataDir: string, env: NodeJS.ProcessEnv): string {
  const inData = join(dataDir, "link.sock");
  if (Buffer.byteLength(inData) <= maxSocketPath) return inData;
  const hash = createHash("sha256").update(dataDir).digest("hex").slice(0, 16);
  return join(env.XDG_RUNTIME_DIR || tmpdir(), `caller-desktop-${hash}.sock`);
}

/**
 * Why a socket must not be trusted with a link (null: fine): it must be a
 * socket, ours, closed to group and others, in a directory others cannot write.
 */
export async function socketRefusal(path: string, uid: number): Promise<string | null> {
  const [socket, dir] = await Promise.all([lstat(path), lstat(dirname(path))]);
  if (!socket.isSocket()) return `${path} is not a socket`;
  if (socket.uid !== uid) return `${path} belongs to uid ${socket.uid}, not to you (${uid})`;
  if ((socket.mode & 0o077) !== 0) return `${path} is open to other users (mode ${(socket.mode & 0o777).toString(8)})`;
  if (dir.uid !== uid && dir.uid !== 0) return `${dirname(path)} belongs to uid ${dir.uid}`;
  if ((dir.mode & 0o022) !== 0 && (dir.mode & 0o1000) === 0) return `${dirname(path)} is writable by other users`;
  return null;
}

export interface LinkListener {
  path: string;
  close(): Promise<void>;
}

/**
 * The running host's end: one JSON line `{"uri": "tel:…"}` per connection,
 * answered `{"ok":true}`; or `{"launch":true}`, answered with a fresh one-time
 * launch URL (`{"ok":true,"url":…}`) — the socket is the user's alone, so this
 * is how the user's own programs (the e2e harness) open a window. A second host
 * for the same data dir is refused; a stale socket (nobody listening) is
 * replaced; anything else at the path is left alone.
 */
export async function listenForLinks(path: string, onLink: (uri: string) => void, launchUrl?: () => string): Promise<LinkListener> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await clearStale(path);
  const server = createServer((socket) => serveOne(socket, onLink, launchUrl));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  return {
    path,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(path, { force: true });
    },
  };
}

function serveOne(socket: Socket, onLink: (uri: string) => void, launchUrl: (() => string) | undefined): void {
  let received = "";
  let answered = false;
  const reply = (answer: { ok: true; url?: string } | { ok: false; error: string }) => {
    if (answered) return;
    answered = true;
    socket.end(`${JSON.stringify(answer)}\n`);
  };
  socket.setEncoding("utf8");
  socket.setTimeout(connectionTimeoutMs, () => socket.destroy());
  socket.on("error", () => socket.destroy());
  socket.on("data", (chunk: string) => {
    if (answered) return;
    received += chunk;
    const end = received.indexOf("\n");
    if (end < 0) {
      if (received.length > maxMessageBytes) reply({ ok: false, error: "message too long" });
      return;
    }
    const line = received.slice(0, end);
    if (launchUrl && isLaunchRequest(line)) {
      reply({ ok: true, url: launchUrl() });
      return;
    }
    const uri = readUri(line);
    if (uri === null) {
      reply({ ok: false, error: "not a callto:/tel: link" });
      return;
    }
    onLink(uri);
    reply({ ok: true });
  });
}

function readUri(line: string): string | null {
  try {
    const message: unknown = JSON.parse(line);
    if (message && typeof message === "object" && "uri" in message && typeof message.uri === "string" && isDialUri(message.uri)) return message.uri;
  } catch {
    /* not JSON */
  }
  return null;
}

function isLaunchRequest(line: string): boolean {
  try {
    const message: unknown = JSON.parse(line);
    return typeof message === "object" && message !== null && "launch" in message && message.launch === true;
  } catch {
    return false;
  }
}

/** Asks the running host for a one-time launch URL over its socket (checked to be the user's own first). */
export async function requestLaunchUrl(path: string, uid: number, timeoutMs = 3_000): Promise<string> {
  const refusal = await socketRefusal(path, uid);
  if (refusal !== null) throw new Error(`Refusing the link socket: ${refusal}`);
  return new Promise((resolve, reject) => {
    let answer = "";
    const socket = createConnection(path, () => socket.write(`${JSON.stringify({ launch: true })}\n`));
    const timer = setTimeout(() => socket.destroy(new Error("the host did not answer in time")), timeoutMs);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("end", () => {
      clearTimeout(timer);
      const parsed = safeParse(answer);
      if (parsed && typeof parsed.url === "string") resolve(parsed.url);
      else reject(new Error(`The host gave no launch URL: ${answer.slice(0, 200)}`));
    });
  });
}

function safeParse(text: string): { url?: unknown } | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? value : null;
  } catch {
    return null;
  }
}

async function clearStale(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = (await lstat(path)).isSocket();
  } catch {
    return;
  }
  if (!isSocket) throw new Error(`${path} exists and is not a socket; not touching it`);
  const alive = await new Promise<boolean>((resolve) => {
    const probe = createConnection(path, () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
  if (alive) throw new Error(`Another Caller host already listens on ${path}`);
  await rm(path, { force: true });
}
