import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { FastifyBaseLogger } from "fastify";
import { toHttpError } from "./error-handler";

/** What a fast-lane route gets: the parsed query (a repeated key gives an array, as Fastify's parser does) and the peer. */
export interface LaneRequest {
  query: Record<string, string | string[]>;
  headers: IncomingMessage["headers"];
  remoteAddress: string | undefined;
}

export interface LaneAnswer {
  status: number;
  contentType: string;
  body: string;
  /** Run once the answer has been written (a record the caller must not wait for). */
  after?: () => Promise<void>;
}

/** The one implementation of a fast-lane route: Fastify's handler and the lane both call it. */
export type LaneRoute = (request: LaneRequest) => Promise<LaneAnswer>;

export function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    const seen = query[key];
    query[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return query;
}

/** The status and JSON body Fastify's error handler gives the same error (src-server/http/error-handler.ts). */
export function laneError(error: unknown, log: FastifyBaseLogger): LaneAnswer {
  const { status, body } = toHttpError(error);
  if (status >= 500) log.error({ err: error }, "fast lane: request failed");
  return { status, contentType: "application/json; charset=utf-8", body: JSON.stringify(body) };
}

/**
 * A few GET routes the PBX waits on with a caller's INVITE held (authorize)
 * are answered here, before Fastify's per-request pipeline: routing, hooks,
 * schema compilation and reply objects cost about 0.2 ms of a 0.7 ms answer on
 * this machine (measured with stamps in the shipped server under
 * `npm run bench -- authorize-bench`). Each route is still registered in
 * Fastify with the same `LaneRoute`, so it has its declared access, shows in
 * the route table and answers `inject()`; a request over a socket takes the
 * lane. Everything else goes to Fastify untouched.
 */
export class FastLane {
  readonly #routes = new Map<string, LaneRoute>();
  /** Fastify's logger, once the app that owns the server exists (buildServer). */
  log: FastifyBaseLogger | null = null;

  /** `path` exactly, GET only. */
  add(path: string, route: LaneRoute): void {
    this.#routes.set(path, route);
  }

  /** For Fastify's `serverFactory`: an HTTP server that offers each request to the lane first. */
  readonly serverFactory = (fastify: (request: IncomingMessage, response: ServerResponse) => void): Server =>
    createServer((request, response) => {
      const url = request.url ?? "";
      const mark = url.indexOf("?");
      const route = request.method === "GET" ? this.#routes.get(mark < 0 ? url : url.slice(0, mark)) : undefined;
      if (route === undefined || this.log === null) {
        fastify(request, response);
        return;
      }
      void this.#serve(route, this.log, request, response, mark < 0 ? "" : url.slice(mark + 1));
    });

  async #serve(route: LaneRoute, log: FastifyBaseLogger, request: IncomingMessage, response: ServerResponse, search: string): Promise<void> {
    let answer: LaneAnswer;
    try {
      answer = await route({ query: parseQuery(search), headers: request.headers, remoteAddress: request.socket.remoteAddress });
    } catch (error) {
      answer = laneError(error, log);
    }
    response.writeHead(answer.status, { "content-type": answer.contentType });
    response.end(answer.body);
    await answer.after?.().catch((error: unknown) => log.error({ err: error }, "fast lane: after the answer"));
  }
}
