import { describe, expect, it } from "vitest";
import { createQuitGuard } from "./quit-guard";
import { noticeBody } from "./notice-text";
import { trayBitmap, trayLook } from "./tray-icon";

describe("the tray icon", () => {
  it("shows a call before registration, and a failure as offline", () => {
    expect(trayLook({ registration: "registered", inCall: true })).toBe("in-call");
    expect(trayLook({ registration: "registered", inCall: false })).toBe("registered");
    expect(trayLook({ registration: "connecting", inCall: false })).toBe("connecting");
    expect(trayLook({ registration: "failed", inCall: false })).toBe("offline");
  });

  it("draws an opaque disc in the state's colour on a transparent square (BGRA)", () => {
    const pixels = trayBitmap("registered", 32);
    expect(pixels.length).toBe(32 * 32 * 4);
    const centre = (16 * 32 + 16) * 4;
    expect([...pixels.subarray(centre, centre + 4)]).toEqual([0x43, 0xa0, 0x2e, 255]);
    expect([...pixels.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
    expect(trayBitmap("in-call", 32).equals(pixels)).toBe(false);
  });

  it("premultiplies the soft edge's colour by its alpha, as createFromBitmap expects", () => {
    const pixels = trayBitmap("registered", 32);
    // Row 16, the first pixel whose alpha is neither 0 nor 255.
    const row = 16 * 32 * 4;
    let at = row;
    while (pixels[at + 3] === 0) at += 4;
    const alpha = pixels[at + 3]! / 255;
    expect(alpha).toBeGreaterThan(0);
    expect(alpha).toBeLessThan(1);
    expect([...pixels.subarray(at, at + 3)]).toEqual([0x43, 0xa0, 0x2e].map((c) => Math.round(c * alpha)));
  });
});

describe("the quit guard", () => {
  it("asks once per quit only while a call is up", () => {
    let inCall = true;
    let asked = 0;
    const guard = createQuitGuard(
      () => inCall,
      () => {
        asked++;
        return "stay";
      },
    );
    let prevented = 0;
    guard.onBeforeQuit({ preventDefault: () => void prevented++ });
    expect([asked, prevented, guard.quitting]).toEqual([1, 1, false]);
    inCall = false;
    guard.onBeforeQuit({ preventDefault: () => void prevented++ });
    expect([asked, prevented, guard.quitting]).toEqual([1, 1, true]);
  });
});

describe("notification text for when no window is open", () => {
  it("follows the OS language", () => {
    expect(noticeBody({ kind: "callFailed", number: "+81312345678", reason: "busy" }, "ja-JP")).toBe("+81312345678 への発信に失敗しました");
    expect(noticeBody({ kind: "creditLow", minutesLeft: null }, "en-GB")).toBe("Calling credit is running low.");
  });
});
