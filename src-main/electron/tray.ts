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

const iconSize = 32;

/** The tray icon (registration and call state) and its menu; clicking it opens the small dialer. */
export function createTray(text: ShellText, actions: TrayActions) {
  const image = (phone: PhoneState) => nativeImage.createFromBitmap(trayBitmap(trayLook(phone), iconSize), { width: iconSize, height: iconSize });
  const initial: PhoneState = { registration: "offline", inCall: false };
  const tray = new Tray(image(initial));
  tray.setToolTip(trayTooltips[trayLook(initial)]);
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: text.openDialer, click: () => actions.openDialer() },
      { label: text.dialClipboard, click: () => actions.dialClipboard() },
      { label: text.openCaller, click: () => actions.openMain() },
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
