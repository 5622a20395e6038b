import type { DesktopNotice } from "../../../src-shared/api/areas/desktop";
import type { EventHub } from "../event-hub";

/**
 * For any area of the core: a verification succeeded, a call failed, credit
 * runs low. The Electron shell shows an OS notification; in the browser the
 * page shows a Web Notification.
 */
export function notifyUser(events: EventHub, notice: DesktopNotice): void {
  events.emit("desktopNotice", notice);
}
