import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { CallerError } from "../../src-shared/errors";
import { FastLane, laneError, parseQuery, type LaneRequest } from "./fast-lane";

let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A Fastify app whose server offers requests to `lane` first; `/echo` is on the lane and in Fastify, marking which answered. */
async function serve(lane: FastLane, logged: string[] = []): Promise<string> {
  const server = Fastify({ serverFactory: lane.serverFactory });
  app = server;
  lane.log = { ...server.log, error: (_object: unknown, message?: string) => logged.push(message ?? "") };
  server.get("/echo", () => Promise.resolve("fastify"));
  server.post("/echo", () => Promise.resolve("fastify post"));
  server.get("/other", () => Promise.resolve("fastify other"));
  await server.listen({ port: 0, host: "127.0.0.1" });
  return `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
}

describe("the fast lane", () => {
  it("answers its GET routes itself and hands everything else to Fastify", async () => {
    const lane = new FastLane();
    const seen: LaneRequest[] = [];
    lane.add("/echo", (request) => {
      seen.push(request);
      return Promise.resolve({ status: 200, contentType: "text/plain; charset=utf-8", body: "lane" });
    });
    const url = await serve(lane);
    const echo = await fetch(`${url}/echo?a=1&b=x%2By&a=2&c=+`, { headers: { "x-test": "t" } });
    expect([echo.status, echo.headers.get("content-type"), await echo.text()]).toEqual([200, "text/plain; charset=utf-8", "lane"]);
    expect(seen[0]).toMatchObject({ query: { a: ["1", "2"], b: "x+y", c: " " }, remoteAddress: "127.0.0.1" });
    expect(seen[0]?.headers["x-test"]).toBe("t");
    expect(await (await fetch(`${url}/echo`, { method: "POST" })).text()).toBe("fastify post");
    expect(await (await fetch(`${url}/other?x=1`)).text()).toBe("fastify other");
    expect((await fetch(`${url}/echo/more`)).status).toBe(404);
    expect(seen).toHaveLength(1);
  });

  it("leaves the route to Fastify until it has a logger (the app that owns the server)", async () => {
    const lane = new FastLane();
    lane.add("/echo", () => Promise.resolve({ status: 200, contentType: "text/plain", body: "lane" }));
    const url = await serve(lane);
    lane.log = null;
    expect(await (await fetch(`${url}/echo`)).text()).toBe("fastify");
  });

  it("answers a route that fails as Fastify's error handler would, and logs it", async () => {
    const lane = new FastLane();
    const logged: string[] = [];
    lane.add("/echo", () => Promise.reject(new Error("database gone")));
    const url = await serve(lane, logged);
    const reply = await fetch(`${url}/echo`);
    expect([reply.status, await reply.json()]).toEqual([500, { code: "internal", message: "Internal server error" }]);
    expect(logged).toEqual(["fast lane: request failed"]);
  });

  it("writes the answer before `after` runs, and logs an `after` that fails", async () => {
    const lane = new FastLane();
    const logged: string[] = [];
    let release: () => void = () => {};
    let afterDone = false;
    lane.add("/echo", () => Promise.resolve({
      status: 200,
      contentType: "text/plain",
      body: "answered",
      after: async () => {
        await new Promise<void>((resolve) => (release = resolve));
        afterDone = true;
        throw new Error("record not written");
      },
    }));
    const url = await serve(lane, logged);
    expect(await (await fetch(`${url}/echo`)).text()).toBe("answered");
    expect(afterDone).toBe(false);
    release();
    await expect.poll(() => logged).toEqual(["fast lane: after the answer"]);
  });

  it("parses a query as Fastify does: repeated keys as an array, + as a space, nothing for an empty search", () => {
    expect(parseQuery("")).toEqual({});
    expect(parseQuery("to=%2B1201&to=x&x=a+b")).toEqual({ to: ["+1201", "x"], x: "a b" });
  });

  it("gives an expected refusal its status without logging it", () => {
    const logged: string[] = [];
    const log = { error: (_object: unknown, message: string) => logged.push(message) } as unknown as Parameters<typeof laneError>[1];
    expect(laneError(new CallerError("unauthenticated", "Missing or wrong X-Caller-Pbx-Secret"), log)).toEqual({
      status: 401,
      contentType: "application/json; charset=utf-8",
      body: JSON.stringify({ code: "unauthenticated", message: "Missing or wrong X-Caller-Pbx-Secret" }),
    });
    expect(logged).toEqual([]);
  });
});
