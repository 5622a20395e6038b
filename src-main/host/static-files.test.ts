import { describe, expect, it } from "vitest";
import { resolveStaticPath } from "./static-files";

describe("resolveStaticPath", () => {
  const root = "/srv/renderer";

  it("serves the index for the root and files below the root", () => {
    expect(resolveStaticPath(root, "/")).toBe("/srv/renderer/index.html");
    expect(resolveStaticPath(root, "/assets/app.js?v=1")).toBe("/srv/renderer/assets/app.js");
  });

  it.each(["/../etc/passwd", "/%2e%2e/etc/passwd", "/assets/%2E%2E/%2E%2E/x", "/..%2f..%2fetc", "/a%00b", "/%E0%A4%A", "/..\\x"])(
    "refuses %s, which would leave the root or is malformed",
    (path) => {
      expect(resolveStaticPath(root, path)).toBeNull();
    },
  );
});
