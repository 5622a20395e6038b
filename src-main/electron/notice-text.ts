import type { DesktopNotice } from "../../src-shared/api/areas/desktop";
import { assertNever } from "../../src-shared/assert-never";

/**
 * Notification text for when no window is open (the page shows its own,
 * translated by i18n, otherwise). Kept short, in the two languages the app has.
 */
export function noticeBody(notice: DesktopNotice, locale: string): string {
  const ja = locale.toLowerCase().startsWith("ja");
  switch (notice.kind) {
    case "verificationSucceeded":
      return ja ? `番号を確認しました: ${notice.number}` : `Number verified: ${notice.number}`;
    case "callFailed":
      return ja ? `${notice.number} への発信に失敗しました` : `The call to ${notice.number} failed`;
    case "creditLow":
      return ja ? "通話クレジットの残高が少なくなっています。" : "Calling credit is running low.";
    default:
      return assertNever(notice, "desktop notice");
  }
}
