import { describe, expect, it } from "vitest";
import { inviteHeaders } from "./outgoing-call";

describe("the INVITE's own headers", () => {
  it("carry the call's id and the user's recording choice as 1 or 0", () => {
    const id = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
    expect(inviteHeaders(id, true)).toEqual([`X-Caller-Call-Id: ${id}`, "X-Caller-Record: 1"]);
    expect(inviteHeaders(id, false)).toEqual([`X-Caller-Call-Id: ${id}`, "X-Caller-Record: 0"]);
  });
});
