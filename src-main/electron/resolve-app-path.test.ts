import path from "node:path";
import { describe, expect, it } from "vitest";
import { isInside, resolveAppPath } from "./resolve-app-path";

const root = "/opt/Caller/resources/app/dist/renderer";

describe("resolveAppPath", () => {
  it.each([
    ["app://caller/", "index.html"],
    ["app://caller", "index.html"],
    ["app://caller/index.html", "index.html"],
    ["app://caller/index.html#dialer", "index.html"],
    ["app://caller/assets/index-4f2a.js?v=1", "assets/index-4f2a.js"],
    ["app://caller/locales/ja%20JP.json", "locales/ja JP.json"],
  ])("serves %s from %s", (url, file) => {
    expect(resolveAppPath(root, url)).toBe(path.join(root, file));
  });

  // URL parsing already folds these dot segments away at the root, as a browser would.
  it.each([
    ["plain ..", "app://caller/../../../etc/passwd", "etc/passwd"],
    ["encoded dots", "app://caller/%2e%2e/%2e%2e/etc/passwd", "etc/passwd"],
    ["mixed encoded dots", "app://caller/.%2E/secret", "secret"],
  ])("keeps %s inside the root", (_what, url, file) => {
    expect(resolveAppPath(root, url)).toBe(path.join(root, file));
  });

  it.each([
    ["encoded slash after ..", "app://caller/..%2f..%2fetc%2fpasswd"],
    ["fully encoded traversal", "app://caller/%2e%2e%2f%2e%2e%2fetc%2fpasswd"],
    ["backslash traversal", "app://caller/..%5c..%5cwindows%5cwin.ini"],
    ["an absolute path", "app://caller/%2fetc%2fpasswd"],
    ["a double slash", "app://caller//etc/passwd"],
    ["a drive letter", "app://caller/C:%5cWindows%5cwin.ini"],
    ["a NUL byte", "app://caller/index.html%00.png"],
    ["a hidden file", "app://caller/.env"],
    ["a directory", "app://caller/assets/"],
    ["malformed percent-encoding", "app://caller/%E0%A4%A"],
    ["another host", "app://evil/index.html"],
    ["another scheme", "file:///etc/passwd"],
  ])("refuses %s", (_what, url) => {
    expect(resolveAppPath(root, url)).toBeNull();
  });

  it("decodes once, so double encoding names a literal file inside the root", () => {
    expect(resolveAppPath(root, "app://caller/%252e%252e%252fetc")).toBe(path.join(root, "%2e%2e%2fetc"));
  });
});

describe("isInside", () => {
  it("tells descendants from the root itself and from look-alike siblings", () => {
    expect(isInside("/a/renderer", "/a/renderer/x.js")).toBe(true);
    expect(isInside("/a/renderer", "/a/renderer")).toBe(false);
    expect(isInside("/a/renderer", "/a/renderer-evil/x.js")).toBe(false);
    expect(isInside("/a/renderer", "/etc/passwd")).toBe(false);
  });
});
