import type { Session } from "electron";
import { describe, expect, it } from "vitest";
import { secureSession } from "./security";

type AnyFn = (...args: never[]) => unknown;

// Records the handlers secureSession installs, so they can be called the way Electron calls them.
function fakeSession() {
  const installed: Record<string, AnyFn> = {};
  const session = {
    setPermissionRequestHandler: (fn: AnyFn) => (installed.request = fn),
    setPermissionCheckHandler: (fn: AnyFn) => (installed.check = fn),
    setDevicePermissionHandler: (fn: AnyFn) => (installed.device = fn),
    webRequest: { onHeadersReceived: (fn: AnyFn) => (installed.headers = fn) },
  } as unknown as Session;
  secureSession(session, () => "default-src 'self'");
  const call = (name: string, ...args: unknown[]) => (installed[name] as (...a: unknown[]) => unknown)(...args);
  return { call };
}

function request(permission: string, details: Record<string, unknown>): boolean {
  let granted: boolean | undefined;
  fakeSession().call("request", {}, permission, (answer: boolean) => (granted = answer), details);
  if (granted === undefined) throw new Error("callback not called");
  return granted;
}

const page = "app://caller/index.html";

describe("secureSession", () => {
  it("grants our page the microphone and refuses it the camera", () => {
    expect(request("media", { requestingUrl: page, isMainFrame: true, mediaTypes: ["audio"], securityOrigin: "app://caller" })).toBe(true);
    expect(request("media", { requestingUrl: page, isMainFrame: true, mediaTypes: ["audio", "video"], securityOrigin: "app://caller" })).toBe(false);
  });

  it("refuses a request from another page and anything but microphone and notifications", () => {
    expect(request("media", { requestingUrl: "https://evil.example/", isMainFrame: true, mediaTypes: ["audio"] })).toBe(false);
    expect(request("notifications", { requestingUrl: page, isMainFrame: true })).toBe(true);
    expect(request("geolocation", { requestingUrl: page, isMainFrame: true })).toBe(false);
  });

  it("answers permission checks by origin when no URL is given", () => {
    const { call } = fakeSession();
    expect(call("check", null, "media", "app://caller", { isMainFrame: true, mediaType: "audio" })).toBe(true);
    expect(call("check", null, "media", "app://caller", { isMainFrame: true, mediaType: "video" })).toBe(false);
    expect(call("check", null, "media", "app://caller", { isMainFrame: true, mediaType: "unknown" })).toBe(false);
    expect(call("check", null, "notifications", "https://evil.example", { isMainFrame: true })).toBe(false);
  });

  it("refuses every device picker", () => {
    expect(fakeSession().call("device", { deviceType: "usb", origin: "app://caller" })).toBe(false);
  });

  it("puts our CSP on responses in place of theirs", () => {
    let sent: unknown;
    fakeSession().call("headers", { responseHeaders: { "content-security-policy": ["default-src *"] } }, (response: unknown) => (sent = response));
    expect(sent).toEqual({ responseHeaders: { "Content-Security-Policy": ["default-src 'self'"] } });
  });
});
