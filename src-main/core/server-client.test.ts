import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CallerError, toErrorBody } from "../../src-shared/errors";
import { createServerClient } from "./server-client";

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/body") {
      response.writeHead(429, { "content-type": "application/json", "retry-after": "120" });
      response.end(JSON.stringify({ code: "sign_in_throttled", message: "Too many failed sign-ins: try again in 120 s", retryAfterSeconds: 120 }));
      return;
    }
    response.writeHead(429, { "retry-after": "45" }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe("the core's server client", () => {
  it("keeps a throttled sign-in's wait, so the renderer can say how long", async () => {
    const failure = await createServerClient(url).request(z.unknown(), "POST", "/body").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CallerError);
    expect(toErrorBody(failure)).toEqual({ code: "sign_in_throttled", message: "Too many failed sign-ins: try again in 120 s", retryAfterSeconds: 120 });
  });

  it("reads the wait from Retry-After when the body has none", async () => {
    const failure = (await createServerClient(url).request(z.unknown(), "GET", "/header").catch((error: unknown) => error)) as CallerError;
    expect(failure.retryAfterSeconds).toBe(45);
  });
});
