import { describe, expect, it } from "vitest";
import { incomingCallId } from "./incoming-call";

describe("the id the app names an incoming call by", () => {
  it("is the server's from X-Caller-Call-Id, so a transfer finds the call", () => {
    expect(incomingCallId("0f8e4c2a-1b3d-4e5f-8a9b-0c1d2e3f4a5b")).toBe("0f8e4c2a-1b3d-4e5f-8a9b-0c1d2e3f4a5b");
  });

  it("is one of the app's own when the header is absent or not a UUID (a teammate's transfer carries none)", () => {
    for (const header of [undefined, "", "not-a-uuid", "0F8E4C2A-1B3D-4E5F-8A9B-0C1D2E3F4A5B", "0f8e4c2a-1b3d-4e5f-8a9b-0c1d2e3f4a5b\r\nX: y"]) {
      const id = incomingCallId(header);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(id).not.toBe(header);
    }
  });
});
