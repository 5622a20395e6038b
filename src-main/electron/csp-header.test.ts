import { describe, expect, it } from "vitest";
import { withCspHeader } from "./csp-header";

describe("withCspHeader", () => {
  it("replaces a looser policy in any letter case and keeps the other headers", () => {
    const headers = {
      "content-security-policy": ["default-src *"],
      "Content-Security-Policy-Report-Only": ["default-src *"],
      "Content-Type": ["text/html"],
    };
    expect(withCspHeader(headers, "default-src 'self'")).toEqual({
      "Content-Type": ["text/html"],
      "Content-Security-Policy": ["default-src 'self'"],
    });
  });

  it("adds the policy when the response had no headers", () => {
    expect(withCspHeader(undefined, "default-src 'self'")).toEqual({ "Content-Security-Policy": ["default-src 'self'"] });
  });
});
