import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readReason } from "./error-reasons";
import { CallerError, callerErrorBody, errorFromBody, errorFromText, errorToText, toErrorBody } from "./errors";
import { fieldReason, schemaIssue } from "./field-reason";

describe("an error's reason", () => {
  it("crosses a boundary with its params and comes back the same", () => {
    const error = new CallerError("conflict", "This number is already assigned", { reason: "number_taken", params: { number: "+81355550100" } });
    const body = toErrorBody(error);
    expect(body).toEqual({ code: "conflict", message: "This number is already assigned", reason: "number_taken", params: { number: "+81355550100" } });
    const back = errorFromBody(JSON.parse(JSON.stringify(body)), "internal", "HTTP 409");
    expect([back.code, back.message, back.reason, back.params]).toEqual(["conflict", "This number is already assigned", "number_taken", { number: "+81355550100" }]);
  });

  it("is absent from the body of an error without one, and a reason without params has empty params", () => {
    expect(callerErrorBody(new CallerError("conflict", "Already done"))).toEqual({ code: "conflict", message: "Already done" });
    expect(callerErrorBody(new CallerError("conflict", "gone", { reason: "call_ended" }))).toEqual({ code: "conflict", message: "gone", reason: "call_ended", params: {} });
  });

  it("from a newer server (unknown) or with params that do not fit is dropped: the code's text is shown", () => {
    expect(readReason("seats_exhausted", {})).toBeUndefined();
    expect(readReason("number_taken", {})).toBeUndefined();
    expect(readReason("number_taken", { number: 81 })).toBeUndefined();
    expect(readReason("call_ended", { extra: "x" })).toBeUndefined();
    const error = errorFromBody({ code: "conflict", message: "m", reason: "seats_exhausted", params: { seats: 3 } }, "internal", "HTTP 409");
    expect([error.code, error.reason, error.params]).toEqual(["conflict", undefined, undefined]);
  });

  it("an unknown code or a body that is not an error body is the fallback, with the fallback message", () => {
    const error = errorFromBody("<html>", "unauthenticated", "HTTP 401");
    expect([error.code, error.message, error.reason]).toEqual(["unauthenticated", "HTTP 401", undefined]);
    expect(errorFromBody({ code: "teapot", message: "short and stout" }, "internal", "HTTP 418").code).toBe("internal");
  });

  it("keeps the wait of a throttled sign-in from the body, else from the header", () => {
    expect(errorFromBody({ code: "sign_in_throttled", message: "m", retryAfterSeconds: 120 }, "internal", "x", 30).retryAfterSeconds).toBe(120);
    expect(errorFromBody({ code: "sign_in_throttled", message: "m" }, "internal", "x", 30).retryAfterSeconds).toBe(30);
  });

  it("survives being kept as text, and older plain text stays text", () => {
    const kept = errorToText(new CallerError("conflict", "This outcome is no longer offered: pick another", { reason: "outcome_withdrawn" }));
    expect(errorFromText(kept)?.reason).toBe("outcome_withdrawn");
    expect(errorFromText("This outcome is no longer offered: pick another")).toBeNull();
    expect(errorFromText("42")).toBeNull();
  });
});

describe("a schema failure's reason", () => {
  const body = z.object({
    name: z.string().trim().min(1, "a name is required").max(80),
    email: z.email(),
    memberIds: z.array(z.number().int()).min(1).max(3),
    ringSeconds: z.number().int().min(5).max(60).optional(),
    strategy: z.enum(["ring_all", "round_robin"]),
    target: z.object({ userId: z.number().int() }),
  });
  const valid = { name: "Sales", email: "a@b.example", memberIds: [1], strategy: "ring_all", target: { userId: 1 } };
  const reasonOf = (input: object) => {
    const result = body.safeParse(input);
    if (result.success) throw new Error("expected a refusal");
    return fieldReason(schemaIssue(result.error.issues[0]!));
  };

  it.each([
    [{ name: "  " }, { field: "name", rule: "required" }],
    [{ name: "x".repeat(81) }, { field: "name", rule: "too_long", limit: 80 }],
    [{ email: "not an email" }, { field: "email", rule: "format" }],
    [{ memberIds: [] }, { field: "memberIds", rule: "too_few", limit: 1 }],
    [{ memberIds: [1, 2, 3, 4] }, { field: "memberIds", rule: "too_many", limit: 3 }],
    [{ memberIds: [1.5] }, { field: "memberIds", rule: "invalid" }],
    [{ ringSeconds: 2 }, { field: "ringSeconds", rule: "too_small", limit: 5 }],
    [{ ringSeconds: 90 }, { field: "ringSeconds", rule: "too_big", limit: 60 }],
    [{ strategy: "random" }, { field: "strategy", rule: "choice" }],
    [{ target: {} }, { field: "userId", rule: "required" }],
  ])("%j is %j", (change, reason) => {
    expect(reasonOf({ ...valid, ...change })).toEqual(reason);
  });

  it("of the whole body names no field", () => {
    const result = body.safeParse("text");
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldReason(schemaIssue(result.error.issues[0]!))).toEqual({ field: "", rule: "invalid" });
  });
});
