import { describe, expect, it } from "vitest";
import { findDialUri, isDialUri } from "./find-dial-uri";

describe("findDialUri", () => {
  it.each<[string, string[], string | null]>([
    ["Windows, after Chromium's switches", ["C:\\Program Files\\Caller\\Caller.exe", "--allow-file-access-from-files", "callto:+81312345678"], "callto:+81312345678"],
    ["Windows, after a -- separator", ["C:\\Program Files\\Caller\\Caller.exe", "--", "tel:+81312345678"], "tel:+81312345678"],
    ["Windows, Skype-style callto://", ["C:\\Caller\\Caller.exe", "callto://+81312345678"], "callto://+81312345678"],
    ["Linux, from xdg-open", ["/opt/Caller/caller", "tel:+14155550100"], "tel:+14155550100"],
    ["Linux, with a visual separator, kept raw", ["/opt/Caller/caller", "tel:+1-415-555-0100;phone-context=example.com"], "tel:+1-415-555-0100;phone-context=example.com"],
    ["a scheme in capitals", ["/opt/Caller/caller", "TEL:+14155550100"], "TEL:+14155550100"],
    ["development: electron . <uri>", ["/usr/lib/electron/electron", ".", "callto:+81312345678"], "callto:+81312345678"],
    ["the first of two", ["/opt/Caller/caller", "tel:+1", "tel:+2"], "tel:+1"],
    ["Windows, second-instance argv with Chromium's added switches", ["C:\\Users\\a\\AppData\\Local\\Programs\\Caller\\Caller.exe", "--original-process-start-time=13370000000000000", "--", "tel:+81%203%201234%205678"], "tel:+81%203%201234%205678"],
    ["Linux AppImage, with --no-sandbox first", ["/tmp/.mount_CallerAbc123/caller", "--no-sandbox", "callto:+81312345678"], "callto:+81312345678"],
    ["Linux deb, from a desktop entry's %u", ["/opt/Caller/caller", "tel:03-1234-5678"], "tel:03-1234-5678"],
    ["macOS, a Finder launch (links come by open-url)", ["/Applications/Caller.app/Contents/MacOS/Caller", "-psn_0_12345"], null],
    ["macOS, a second `open -a Caller --args tel:…`", ["/Applications/Caller.app/Contents/MacOS/Caller", "tel:+14155550100"], "tel:+14155550100"],
    ["started at login, hidden", ["/opt/Caller/caller", "--hidden"], null],
    ["a plain start", ["/opt/Caller/caller"], null],
    ["a plain start with switches", ["C:\\Caller\\Caller.exe", "--hidden", "--enable-logging"], null],
    ["an empty argv", [], null],
    ["a switch that carries a URI", ["/opt/Caller/caller", "--open=tel:+1"], null],
    ["telnet is not tel", ["/opt/Caller/caller", "telnet:evil.example"], null],
    ["the executable itself", ["tel:+1"], null],
    ["another scheme", ["/opt/Caller/caller", "https://example.com/?tel:+1"], null],
    ["an overlong argument", ["/opt/Caller/caller", `tel:+1${"0".repeat(300)}`], null],
  ])("%s", (_what, argv, expected) => {
    expect(findDialUri(argv)).toBe(expected);
  });
});

describe("isDialUri", () => {
  it("takes callto: and tel: only", () => {
    expect(isDialUri("callto:+81312345678")).toBe(true);
    expect(isDialUri("tel:+14155550100")).toBe(true);
    expect(isDialUri("https://example.com")).toBe(false);
    expect(isDialUri("sip:alice@example.com")).toBe(false);
  });
});
