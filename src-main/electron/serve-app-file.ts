import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { isInside, resolveAppPath } from "./resolve-app-path";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".wav": "audio/wav",
  ".mp3": "audio/mpeg",
  ".ogg": "audio/ogg",
  ".txt": "text/plain; charset=utf-8",
};

export interface ServeOptions {
  /** dist/renderer: the only directory app:// reads from. */
  rootDir: string;
  csp: string;
}

/** The app:// protocol handler's answer: a file from `rootDir`, with our CSP, or a 404 that says nothing more. */
export async function serveAppFile(request: Request, options: ServeOptions): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") return plain(405, "Method not allowed", options.csp);
  const file = resolveAppPath(options.rootDir, request.url);
  if (file === null) return plain(404, "Not found", options.csp);
  let body: Buffer;
  try {
    // A symlink must not lead out of the renderer directory either.
    const [realRoot, realFile] = await Promise.all([realpath(options.rootDir), realpath(file)]);
    if (!isInside(realRoot, realFile)) return plain(404, "Not found", options.csp);
    body = await readFile(realFile);
  } catch {
    return plain(404, "Not found", options.csp);
  }
  const type = contentTypes[path.extname(file).toLowerCase()] ?? "application/octet-stream";
  return new Response(request.method === "HEAD" ? null : new Uint8Array(body), { status: 200, headers: headers(type, options.csp) });
}

function plain(status: number, text: string, csp: string): Response {
  return new Response(text, { status, headers: headers("text/plain; charset=utf-8", csp) });
}

function headers(contentType: string, csp: string): Record<string, string> {
  return {
    "Content-Type": contentType,
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
  };
}
