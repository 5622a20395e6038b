import type { ApiHandlers } from "../../../src-shared/api/contract";
import type { desktopMethodNames } from "../../../src-shared/api/areas/desktop-names";
import type { DesktopService } from "../desktop/desktop-service";

export type DesktopHandlers = Pick<ApiHandlers, (typeof desktopMethodNames)[number]>;

/** Desktop integration: hotkeys, link handler registration, the tray's view of the phone. */
export function desktopHandlers(desktop: DesktopService): DesktopHandlers {
  return {
    getDesktopState: () => desktop.state(),
    updateDesktopSettings: (patch) => desktop.update(patch),
    dialText: async ({ text, source, placeCall }) => {
      await desktop.dialText(text, source, placeCall === true);
      return { ok: true as const };
    },
    reportPhoneState: async ({ window, ...phone }) => {
      await desktop.reportPhone(window, phone);
      return { ok: true as const };
    },
  };
}
