import { describe, expect, it } from "vitest";
import { decideNavigation } from "./navigation";

describe("decideNavigation", () => {
  it.each(["app://caller/index.html", "app://caller/index.html#dialer"])("keeps our own page %s in the window", (url) => {
    expect(decideNavigation(url)).toEqual({ kind: "allow" });
  });

  it.each([
    ["https://crm.example.com/deals/42", "https://crm.example.com/deals/42"],
    ["http://example.com", "http://example.com/"],
    ["HTTPS://Example.COM/a b", "https://example.com/a%20b"],
  ])("opens the web link %s in the OS browser as %s", (url, normalized) => {
    expect(decideNavigation(url)).toEqual({ kind: "open-external", url: normalized });
  });

  it.each([
    "file:///etc/passwd",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "smb://evil.example/share",
    "ms-msdt:/id PCWDiagnostic",
    "callto:+81312345678",
    "app://evil/index.html",
    "devtools://devtools/bundled/devtools_app.html",
    "https://bank.example@evil.example/",
    "https://user:pw@example.com/",
    `https://example.com/${"a".repeat(3000)}`,
    "not a url",
    "",
  ])("goes nowhere for %s", (url) => {
    expect(decideNavigation(url)).toEqual({ kind: "deny" });
  });
});
