import { CloudOff, RefreshCw, CircleAlert, Cloud } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { SyncState } from "../../../src-shared/api/contract";
import { assertNever } from "../../../src-shared/assert-never";
import { formatDateTime } from "../../../src-shared/format";

/** The sync state in the top bar: an icon and a short line, the detail in its title. */
export function SyncStatus({ sync }: { sync: SyncState | null }) {
  const { t, i18n } = useTranslation();
  if (!sync) return null;
  const text = (() => {
    switch (sync.status) {
      case "idle":
        return sync.lastSyncedAt ? t("sync.idle", { time: formatDateTime(sync.lastSyncedAt, i18n.language) }) : t("sync.never");
      case "syncing":
        return sync.progress ? t("crm.syncProgress", { done: sync.progress.done, total: sync.progress.total }) : t("sync.syncing");
      case "offline":
        return t("sync.offline");
      case "error":
        return t("sync.error", { message: sync.error ?? "" });
      default:
        return assertNever(sync.status, "sync status");
    }
  })();
  const pending = sync.pendingEdits ?? 0;
  const Icon = sync.status === "syncing" ? RefreshCw : sync.status === "offline" ? CloudOff : sync.status === "error" ? CircleAlert : Cloud;
  const full = pending > 0 ? `${text} · ${t("crm.syncPending", { count: pending })}` : text;
  return (
    <span className={`sync sync-${sync.status}`} data-testid="sync-state" data-status={sync.status} data-pending={pending} title={full}>
      <Icon size={14} aria-hidden="true" className={sync.status === "syncing" ? "spin" : undefined} />
      <span className="sync-text">{full}</span>
    </span>
  );
}
