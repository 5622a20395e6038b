import type { PhoneState } from "../../src-shared/api/areas/desktop";
import { assertNever } from "../../src-shared/assert-never";

export type TrayLook = "in-call" | "registered" | "connecting" | "offline";

/** What the tray shows: a call beats registration; a failed registration looks offline. */
export function trayLook(phone: PhoneState): TrayLook {
  if (phone.inCall) return "in-call";
  switch (phone.registration) {
    case "registered":
      return "registered";
    case "connecting":
      return "connecting";
    case "offline":
    case "failed":
      return "offline";
    default:
      return assertNever(phone.registration, "registration");
  }
}

const colors: Record<TrayLook, [number, number, number]> = {
  "in-call": [0xd9, 0x3f, 0x3f],
  registered: [0x2e, 0xa0, 0x43],
  connecting: [0xe0, 0xa0, 0x20],
  offline: [0x88, 0x88, 0x88],
};

export const trayTooltips: Record<TrayLook, string> = {
  "in-call": "Caller — in a call",
  registered: "Caller — ready",
  connecting: "Caller — connecting…",
  offline: "Caller — offline",
};

/**
 * A round icon in the state's colour, drawn here so no image file per state
 * ships, as nativeImage.createFromBitmap reads it: Skia's N32 with premultiplied
 * alpha, i.e. BGRA whose colour is already scaled by alpha
 * (shell/common/api/electron_api_native_image.cc:530-541). Straight alpha
 * would give the soft edge a light fringe.
 */
export function trayBitmap(look: TrayLook, size = 32): Buffer {
  const [r, g, b] = colors[look];
  const pixels = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  const radius = size / 2 - 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x - centre, y - centre);
      // One pixel of soft edge keeps the circle from looking jagged.
      const alpha = Math.max(0, Math.min(1, radius - distance + 0.5));
      const at = (y * size + x) * 4;
      pixels[at] = Math.round(b * alpha);
      pixels[at + 1] = Math.round(g * alpha);
      pixels[at + 2] = Math.round(r * alpha);
      pixels[at + 3] = Math.round(alpha * 255);
    }
  }
  return pixels;
}
