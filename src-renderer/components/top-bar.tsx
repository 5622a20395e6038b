import { useTranslation } from "react-i18next";
import type { Language, SyncState } from "../../src-shared/api/contract";
import { formatDateTime } from "../../src-shared/format";
import { assertNever } from "../../src-shared/assert-never";

export type View = "phone" | "admin" | "personal";

export interface TopBarProps {
  userName: string;
  isAdmin: boolean;
  view: View;
  onView: (view: View) => void;
  language: Language | null;
  onLanguage: (language: Language | null) => void;
  sync: SyncState | null;
  onSignOut: () => void;
}

export function TopBar({ userName, isAdmin, view, onView, language, onLanguage, sync, onSignOut }: TopBarProps) {
  const { t } = useTranslation();
  return (
    <header className="top-bar">
      <strong>{t("app.title")}</strong>
      <span className="who">{t("app.signedInAs", { name: userName })}</span>
      <SyncBadge sync={sync} />
      <nav>
        <button type="button" data-testid="personal-entry" aria-pressed={view === "personal"} onClick={() => onView(view === "personal" ? "phone" : "personal")}>
          {view === "personal" ? t("personal.back") : t("personal.open")}
        </button>
        {isAdmin && (
          <button type="button" data-testid="admin-entry" aria-pressed={view === "admin"} onClick={() => onView(view === "admin" ? "phone" : "admin")}>
            {view === "admin" ? t("admin.back") : t("app.companySettings")}
          </button>
        )}
        <LanguagePicker language={language} onLanguage={onLanguage} />
        <button type="button" onClick={onSignOut}>
          {t("app.signOut")}
        </button>
      </nav>
    </header>
  );
}

function SyncBadge({ sync }: { sync: SyncState | null }) {
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
  return (
    <span className={`sync sync-${sync.status}`} data-testid="sync-state" data-status={sync.status} data-pending={pending}>
      {text}
      {pending > 0 && ` · ${t("crm.syncPending", { count: pending })}`}
    </span>
  );
}

/** The UI language: the system's, or one chosen (also on the operator's pages). */
export function LanguagePicker({ language, onLanguage }: { language: Language | null; onLanguage: (language: Language | null) => void }) {
  const { t } = useTranslation();
  return (
    <label>
      {t("app.language")}{" "}
      <select data-testid="language" value={language ?? "system"} onChange={(e) => onLanguage(e.target.value === "system" ? null : (e.target.value as Language))}>
        <option value="system">{t("app.languageSystem")}</option>
        <option value="ja">日本語</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}
