import { createConnection } from "node:net";
import { isDialUri } from "../../src-shared/desktop/is-dial-uri";
import { socketRefusal } from "./link-socket";

export type OpenLinkOutcome = "forwarded" | "started" | "refused" | "not_a_link";

export interface OpenLinkOptions {
  uri: string;
  socketPath: string;
  uid: number;
  /** Starts the app with the link when no host runs (spawns host.mjs --open --link in the real launcher). */
  start: (uri: string) => void;
  log: (line: string) => void;
  timeoutMs?: number;
}

/**
 * The link launcher xdg-open runs: hands the link to the running host over its
 * socket (which must be the user's own), or starts the app with it. It never
 * waits long: xdg-open waits for it.
 */
export async function openLink(options: OpenLinkOptions): Promise<OpenLinkOutcome> {
  if (!isDialUri(options.uri)) {
    options.log(`Not a callto:/tel: link: ${JSON.stringify(options.uri.slice(0, 80))}`);
    return "not_a_link";
  }
  let refusal: string | null;
  try {
    refusal = await socketRefusal(options.socketPath, options.uid);
  } catch {
    options.start(options.uri);
    return "started";
  }
  if (refusal !== null) {
    options.log(`Refusing to hand the link over: ${refusal}`);
    return "refused";
  }
  const answer = await send(options.socketPath, options.uri, options.timeoutMs ?? 3_000);
  if (answer === "no_host") {
    options.start(options.uri);
    return "started";
  }
  if (answer !== "ok") {
    options.log(`The running Caller did not take the link: ${answer}`);
    return "refused";
  }
  return "forwarded";
}

function send(path: string, uri: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    let answer = "";
    const socket = createConnection(path, () => socket.write(`${JSON.stringify({ uri })}\n`));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve("no answer in time");
    }, timeoutMs);
    const done = (result: string) => {
      clearTimeout(timer);
      resolve(result);
    };
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("end", () => done(parseAnswer(answer)));
    // Nobody listening (a stale socket left by a crash): the app is not running.
    socket.on("error", (error: NodeJS.ErrnoException) => done(error.code === "ECONNREFUSED" || error.code === "ENOENT" ? "no_host" : error.message));
  });
}

function parseAnswer(text: string): string {
  try {
    const answer = JSON.parse(text) as { ok?: unknown; error?: unknown };
    if (answer.ok === true) return "ok";
    return typeof answer.error === "string" ? answer.error : "refused";
  } catch {
    return "an unreadable answer";
  }
}
