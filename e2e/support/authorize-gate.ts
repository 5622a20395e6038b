import { createServer, request, type Server } from "node:http";

/**
 * Sits between Asterisk and the Caller server: every request passes through unchanged, but a
 * call's authorize (`GET /pbx/authorize?…`) can be held for a while, so a test can act inside
 * the window where the dialplan waits for the server's answer.
 */
export interface AuthorizeGate {
  port: number;
  /** How long the next authorize requests are held before they go on to the server (0: not held). */
  holdMs: number;
  /** Resolves when the next authorize request arrives (its query string). */
  nextAuthorize(): Promise<string>;
  /** Authorize requests seen so far, with when each arrived and when its answer went back. */
  seen: Array<{ query: string; at: number; answeredAt: number | null }>;
  close(): Promise<void>;
}

export async function startAuthorizeGate(serverPort: number): Promise<AuthorizeGate> {
  const waiters: Array<(query: string) => void> = [];
  const gate: AuthorizeGate = {
    port: 0,
    holdMs: 0,
    seen: [],
    nextAuthorize: () => new Promise((resolve) => waiters.push(resolve)),
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((req, res) => {
    const url = req.url ?? "/";
    const isAuthorize = url.startsWith("/pbx/authorize?");
    const forward = () => {
      const upstream = request({ host: "127.0.0.1", port: serverPort, method: req.method, path: url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        if (isAuthorize) answer.on("end", () => (seen.answeredAt = Date.now()));
      });
      upstream.on("error", () => res.writeHead(502).end());
      req.pipe(upstream);
    };
    const seen = { query: url.slice(url.indexOf("?") + 1), at: Date.now(), answeredAt: null as number | null };
    if (!isAuthorize) {
      forward();
      return;
    }
    gate.seen.push(seen);
    for (const wake of waiters.splice(0)) wake(seen.query);
    if (gate.holdMs > 0) setTimeout(forward, gate.holdMs);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  gate.port = typeof address === "object" && address ? address.port : 0;
  gate.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return gate;
}
