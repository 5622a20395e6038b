import { useTranslation } from "react-i18next";
import type { Company } from "../../src-shared/domain/company";
import { ShortcutSettings } from "./desktop/shortcut-settings";
import type { WorkspaceDesktop } from "./desktop/use-workspace-desktop";
import { PersonalSettings } from "./personal/personal-settings";

/** Settings: the number calls show, where phone links go, recordings kept offline, then shortcuts and the desktop. */
export function SettingsPage({ company, defaultCountry, desktop }: { company: Company; defaultCountry: string; desktop: WorkspaceDesktop }) {
  const { t } = useTranslation();
  return (
    <div className="page-column settings-page">
      <PersonalSettings company={company} defaultCountry={defaultCountry} />
      {desktop.state && desktop.shell && (
        <section className="settings-group" aria-labelledby="settings-desktop-title">
          <h2 id="settings-desktop-title" className="settings-group-title">
            {t("settings.desktop")}
          </h2>
          <ShortcutSettings state={desktop.state} shell={desktop.shell} />
        </section>
      )}
    </div>
  );
}
