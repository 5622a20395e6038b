import { describe, expect, it } from "vitest";
import { StartVerificationBody, Verification } from "./verification";

describe("the verification request's extension", () => {
  it("is optional: absent or null means the number answers in person", () => {
    expect(StartVerificationBody.safeParse({ country: "JP", number: "03-1234-5678" }).success).toBe(true);
    expect(StartVerificationBody.parse({ country: "JP", number: "03-1234-5678", extension: null }).extension).toBeNull();
  });

  it("is 1 to 10 digits and nothing else: no pauses, no * or #, no separators", () => {
    for (const good of ["1", "204", "1234567890"]) expect(StartVerificationBody.safeParse({ country: "JP", number: "0312345678", extension: good }).success, good).toBe(true);
    for (const bad of ["", "12345678901", "20w4", "2,4", "*204", "204#", " 204", "2 04", "２０４", "204\n"]) {
      expect(StartVerificationBody.safeParse({ country: "JP", number: "0312345678", extension: bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("comes back with the verification; a server that predates it reads as none", () => {
    const base = { id: "v1", number: "+81312345678", state: "calling", failureReason: null, attempts: 0, createdAt: 0, expiresAt: 1, updatedAt: 0 };
    expect(Verification.parse({ ...base, extension: "204" }).extension).toBe("204");
    expect(Verification.parse(base).extension).toBeNull();
    expect(Verification.safeParse({ ...base, extension: "2#" }).success).toBe(false);
  });
});
