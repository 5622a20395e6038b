import { Menu, Tray, nativeImage } from "electron";
import type { PhoneState } from "../../src-shared/api/areas/desktop";
import type { ShellText } from "./shell-text";
import { trayBitmap, trayLook, trayTooltips } from "./tray-icon";

export interface TrayActions {
  openDialer(): void;
  openMain(): void;
  dialClipboard(): void;
  quit(): void;
}

// 32 px drawn at scale 2: a 16 pt icon, sharp on HiDPI (docs/api/native-image.md, createFromBitmap's scaleFactor).
const iconPixels = 32;
const iconScale = 2;

/**
 * The tray icon (registration and call state) and its menu; clicking it opens
 * the small dialer. On Linux a click may never arrive (the StatusNotifierItem
 * spec leaves activation to the host, docs/api/tray.md), so the menu leads
 * with "Open Caller" there.
 */
export function createTray(text: ShellText, actions: TrayActions, platform: NodeJS.Platform = process.platform) {
  const image = (phone: PhoneState) =>
    nativeImage.createFromBitmap(trayBitmap(trayLook(phone), iconPixels), { width: iconPixels, height: iconPixels, scaleFactor: iconScale });
  const initial: PhoneState = { registration: "offline", inCall: false };
  const tray = new Tray(image(initial));
  tray.setToolTip(trayTooltips[trayLook(initial)]);
  const openMain = { label: text.openCaller, click: () => actions.openMain() };
  const dialer = [
    { label: text.openDialer, click: () => actions.openDialer() },
    { label: text.dialClipboard, click: () => actions.dialClipboard() },
  ];
  tray.setContextMenu(
    Menu.buildFromTemplate([
      ...(platform === "linux" ? [openMain, ...dialer] : [...dialer, openMain]),
      { type: "separator" },
      { label: text.quit, click: () => actions.quit() },
    ]),
  );
  tray.on("click", () => actions.openDialer());
  let shown = trayLook(initial);
  return {
    update(phone: PhoneState): void {
      const look = trayLook(phone);
      if (look === shown) return;
      shown = look;
      tray.setImage(image(phone));
      tray.setToolTip(trayTooltips[look]);
    },
    destroy: () => tray.destroy(),
  };
}
