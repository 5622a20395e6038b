import { CloudOff, RefreshCw, CircleAlert, Cloud } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { SyncState } from "../../../src-shared/api/contract";
import { assertNever } from "../../../src-shared/assert-never";
import { formatDateTime, formatRecentTime } from "../../../src-shared/format";
import { describeError, describeStoredError } from "../../i18n/i18n";
import { errorFromBody } from "../../../src-shared/errors";
import { useAfterFirstPaint } from "./use-after-first-paint";

/** The sync state in the top bar: an icon and a short line, the detail in its title. */
export function SyncStatus({ sync }: { sync: SyncState | null }) {
  const { t, i18n } = useTranslation();
  // The first date formatter with a time zone costs the page hundreds of ms (ICU loads its zone
  // data): the time joins the bar after the dialer is drawn.
  const painted = useAfterFirstPaint();
  if (!sync) return null;
  // The bar shows the short time; its title keeps the full date.
  const syncedAt = (format: (ms: number) => string) =>
    sync.lastSyncedAt ? (painted ? t("sync.idle", { time: format(sync.lastSyncedAt) }) : t("sync.idleNoTime")) : t("sync.never");
  const text = (() => {
    switch (sync.status) {
      case "idle":
        return syncedAt((ms) => formatRecentTime(ms, i18n.language, Date.now()));
      case "syncing":
        return sync.progress ? t("crm.syncProgress", { done: sync.progress.done, total: sync.progress.total }) : t("sync.syncing");
      case "offline":
        return t("sync.offline");
      case "error":
        return t("sync.error", { message: describeStoredError(t, sync.error ?? "") });
      default:
        return assertNever(sync.status, "sync status");
    }
  })();
  const refused = sync.refusedEdits ?? [];
  // Each refusal in the UI's language, by its reason where the server gave one.
  const refusedLine = refused.length === 0 ? null : t("sync.refused", { count: refused.length, reasons: refused.map((body) => describeError(t, errorFromBody(body, "internal", body.message))).join(" ") });
  // First, so the bar's clipped line still shows it; the reasons read whole in the title.
  const withRefused = (line: string) => (refusedLine === null ? line : `${refusedLine} · ${line}`);
  const pending = sync.pendingEdits ?? 0;
  const Icon = sync.status === "syncing" ? RefreshCw : sync.status === "offline" ? CloudOff : sync.status === "error" || refusedLine !== null ? CircleAlert : Cloud;
  const withPending = (line: string) => (pending > 0 ? `${line} · ${t("crm.syncPending", { count: pending })}` : line);
  const full = withRefused(withPending(text));
  const title = sync.status === "idle" ? withRefused(withPending(syncedAt((ms) => formatDateTime(ms, i18n.language)))) : full;
  return (
    <span className={`sync sync-${sync.status}${refusedLine === null ? "" : " sync-refused"}`} data-testid="sync-state" data-status={sync.status} data-pending={pending} data-refused={refused.length} title={title}>
      <Icon size={14} aria-hidden="true" className={sync.status === "syncing" ? "spin" : undefined} />
      <span className="sync-text">{full}</span>
    </span>
  );
}
