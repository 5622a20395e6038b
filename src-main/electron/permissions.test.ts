import { describe, expect, it } from "vitest";
import { isPermissionAllowed, type PermissionQuery } from "./permissions";

const page = "app://caller/index.html";
const ask = (permission: string, extra: Partial<PermissionQuery> = {}): PermissionQuery => ({
  permission,
  requestingUrl: page,
  isMainFrame: true,
  mediaTypes: undefined,
  ...extra,
});

describe("isPermissionAllowed", () => {
  it.each<[string, PermissionQuery, boolean]>([
    ["microphone for our page", ask("media", { mediaTypes: ["audio"] }), true],
    ["microphone when Chromium names our origin", ask("media", { mediaTypes: ["audio"], securityOrigin: "app://caller" }), true],
    ["notifications for our page", ask("notifications"), true],
    ["notifications checked by origin only", ask("notifications", { requestingUrl: "app://caller" }), true],
    ["camera", ask("media", { mediaTypes: ["video"] }), false],
    ["microphone and camera together", ask("media", { mediaTypes: ["audio", "video"] }), false],
    ["media of an unknown kind", ask("media", { mediaTypes: ["unknown"] }), false],
    ["media with no kind given", ask("media"), false],
    ["media with an empty kind list", ask("media", { mediaTypes: [] }), false],
    ["screen capture", ask("display-capture", { mediaTypes: ["audio"] }), false],
    ["geolocation", ask("geolocation"), false],
    ["clipboard read", ask("clipboard-read"), false],
    ["opening external apps", ask("openExternal"), false],
    ["fullscreen", ask("fullscreen"), false],
    ["serial ports", ask("serial"), false],
    ["USB", ask("usb"), false],
    ["MIDI sysex", ask("midiSysex"), false],
    ["pointer lock", ask("pointerLock"), false],
    ["an unknown permission", ask("unknown"), false],
    ["microphone for another origin", ask("media", { mediaTypes: ["audio"], requestingUrl: "https://evil.example/" }), false],
    ["microphone for a file:// page", ask("media", { mediaTypes: ["audio"], requestingUrl: "file:///tmp/index.html" }), false],
    ["microphone with a foreign security origin", ask("media", { mediaTypes: ["audio"], securityOrigin: "https://evil.example" }), false],
    ["microphone for a subframe of our page", ask("media", { mediaTypes: ["audio"], isMainFrame: false }), false],
    ["notifications for another origin", ask("notifications", { requestingUrl: "http://127.0.0.1:8080/" }), false],
    ["notifications with no URL at all", ask("notifications", { requestingUrl: undefined }), false],
  ])("%s → %s", (_what, query, allowed) => {
    expect(isPermissionAllowed(query)).toBe(allowed);
  });
});
