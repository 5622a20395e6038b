import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CallerError, type ErrorCode } from "../../src-shared/errors";
import { startTestServer, type TestServer } from "../test-support/test-server";
import { toHttpError } from "./error-handler";

describe("error replies", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      beforeReady(app) {
        app.get("/test/boom", { config: { access: "public" } }, () => {
          throw new Error("password=hunter2 at /srv/secret.ts:12");
        });
        app.get("/test/conflict", { config: { access: "public" } }, () => {
          throw new CallerError("conflict", "Already done");
        });
      },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it("an unexpected error is a 500 with code internal and nothing of the error itself", async () => {
    const reply = await server.app.inject({ method: "GET", url: "/test/boom" });
    expect(reply.statusCode).toBe(500);
    expect(reply.json()).toEqual({ code: "internal", message: "Internal server error" });
    expect(reply.body).not.toMatch(/hunter2|secret|stack/);
  });

  it("a CallerError keeps its code and message", async () => {
    const reply = await server.app.inject({ method: "GET", url: "/test/conflict" });
    expect(reply.statusCode).toBe(409);
    expect(reply.json()).toEqual({ code: "conflict", message: "Already done" });
  });

  it.each<[ErrorCode, number]>([
    ["bad_request", 400],
    ["unauthenticated", 401],
    ["invalid_credentials", 401],
    ["forbidden", 403],
    ["not_found", 404],
    ["conflict", 409],
  ])("maps %s to %i", (code, status) => {
    expect(toHttpError(new CallerError(code, "m"))).toEqual({ status, body: { code, message: "m" } });
  });

  it("a CallerError's reason and params reach the body beside its English message", () => {
    const error = new CallerError("conflict", "A ring group has this name already", { reason: "ring_group_name_taken", params: { name: "Sales team" } });
    expect(toHttpError(error)).toEqual({ status: 409, body: { code: "conflict", message: "A ring group has this name already", reason: "ring_group_name_taken", params: { name: "Sales team" } } });
  });

  it("a body that fails its schema names the first field and rule as its reason", async () => {
    const reply = await server.app.inject({ method: "POST", url: "/api/auth/sign-in", payload: { email: "admin@demo.example" } });
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toMatchObject({ code: "bad_request", message: expect.stringMatching(/^body\.password: /) as string, reason: "invalid_field", params: { field: "password", rule: "required" } });
  });

  it("an unknown route is a JSON 404, and a body that is not JSON a 400", async () => {
    const missing = await server.app.inject({ method: "GET", url: "/api/nothing-here" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: "not_found" });
    const garbled = await server.app.inject({
      method: "POST",
      url: "/api/auth/sign-in",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(garbled.statusCode).toBe(400);
    expect(garbled.json()).toMatchObject({ code: "bad_request" });
  });
});
