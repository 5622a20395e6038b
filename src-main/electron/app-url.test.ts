import { describe, expect, it } from "vitest";
import { appPageUrl, isAppUrl } from "./app-url";

describe("isAppUrl", () => {
  it.each([
    ["app://caller/index.html", true],
    ["app://caller/", true],
    ["app://caller", true],
    ["app://caller/index.html#dialer", true],
    ["app://caller.evil.com/", false],
    ["app://evil/", false],
    ["app://caller:8080/", false],
    ["app://user@caller/", false],
    ["app://user:pw@caller/", false],
    ["file:///opt/Caller/resources/app/dist/renderer/index.html", false],
    ["http://caller/", false],
    ["https://evil.example/", false],
    ["devtools://devtools/bundled/devtools_app.html", false],
    ["about:blank", false],
    ["javascript:alert(1)", false],
    ["not a url", false],
    ["", false],
  ])("%s → %s", (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });

  it("refuses a missing URL", () => {
    expect(isAppUrl(null)).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
  });
});

describe("appPageUrl", () => {
  it("is our own page, with or without a view", () => {
    expect(appPageUrl()).toBe("app://caller/index.html");
    expect(appPageUrl("dialer")).toBe("app://caller/index.html#dialer");
    expect(isAppUrl(appPageUrl("dialer"))).toBe(true);
  });
});
