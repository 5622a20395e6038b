import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import type { DesktopNotice } from "../../../src-shared/api/areas/desktop";
import { assertNever } from "../../../src-shared/assert-never";
import type { CallerApi } from "../../bridge/api";

/** The core's notices as Web Notifications in the browser-hosted app (the Electron shell shows its own). */
export function useDesktopNotices(api: CallerApi, shell: "electron" | "node-host" | null): void {
  const { t } = useTranslation();
  useEffect(() => {
    if (shell !== "node-host") return;
    return api.on("desktopNotice", (notice) => showNotice(noticeText(notice, t), notice.kind));
  }, [api, t, shell]);
}

/** A Web Notification, only while the user is elsewhere and has allowed them. */
export function showNotice(body: string, tag: string): void {
  if (typeof Notification === "undefined" || Notification.permission !== "granted" || document.hasFocus()) return;
  new Notification("Caller", { body, tag });
}

export function noticeText(notice: DesktopNotice, t: (key: string, options?: Record<string, unknown>) => string): string {
  switch (notice.kind) {
    case "verificationSucceeded":
      return t("desktop.notice.verificationSucceeded", { number: notice.number });
    case "callFailed":
      return t("desktop.notice.callFailed", { number: notice.number, reason: notice.reason });
    case "creditLow":
      return notice.minutesLeft === null ? t("desktop.notice.creditLow") : t("desktop.notice.creditLowMinutes", { count: notice.minutesLeft });
    default:
      return assertNever(notice, "desktop notice");
  }
}
