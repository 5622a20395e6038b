import { describe, expect, it } from "vitest";
import { isTrustedSender, type SenderFacts } from "./is-trusted-sender";

const ours: SenderFacts = { frameUrl: "app://caller/index.html", isMainFrame: true, isOurWindow: true };

describe("isTrustedSender", () => {
  it("accepts the main frame of our window showing our page", () => {
    expect(isTrustedSender(ours)).toBe(true);
    expect(isTrustedSender({ ...ours, frameUrl: "app://caller/index.html#dialer" })).toBe(true);
  });

  it.each<[string, SenderFacts | null]>([
    ["a frame that is already gone", null],
    ["a frame without a URL", { ...ours, frameUrl: null }],
    ["another app:// host", { ...ours, frameUrl: "app://evil/index.html" }],
    ["a look-alike host", { ...ours, frameUrl: "app://caller.evil.com/index.html" }],
    ["a file:// page", { ...ours, frameUrl: "file:///opt/Caller/resources/app/dist/renderer/index.html" }],
    ["an http page", { ...ours, frameUrl: "http://evil.example/" }],
    ["a loopback page", { ...ours, frameUrl: "http://127.0.0.1:5173/" }],
    ["about:blank", { ...ours, frameUrl: "about:blank" }],
    ["a subframe of our page", { ...ours, isMainFrame: false }],
    ["devtools", { frameUrl: "devtools://devtools/bundled/devtools_app.html", isMainFrame: true, isOurWindow: false }],
    ["our page in a webContents we did not create", { ...ours, isOurWindow: false }],
  ])("refuses %s", (_what, sender) => {
    expect(isTrustedSender(sender)).toBe(false);
  });
});
