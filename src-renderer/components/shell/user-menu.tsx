import { ChevronDown, Languages, LogOut, Monitor, Moon, Sun } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { Language, Theme } from "../../../src-shared/api/contract";
import { DropdownMenu, MenuItem, MenuLabel, MenuRadioGroup, MenuSeparator } from "../ui/dropdown-menu";

export interface UserMenuProps {
  name: string;
  email: string;
  role: string;
  language: Language | null;
  onLanguage: (language: Language | null) => void;
  theme: Theme;
  onTheme: (theme: Theme) => void;
  onSignOut: () => void;
}

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => [...part][0] ?? "")
    .join("")
    .toUpperCase();

/** The signed-in user: name, language, theme and sign out, in one menu at the top right. */
export function UserMenu({ name, email, role, language, onLanguage, theme, onTheme, onSignOut }: UserMenuProps) {
  const { t } = useTranslation();
  return (
    <DropdownMenu
      label={t("userMenu.open", { name })}
      trigger={
        // Named by the user's name it shows (a different aria-label would not match what is seen).
        <button type="button" className="user-menu-trigger" data-testid="user-menu" title={t("userMenu.open", { name })}>
          <span className="avatar" aria-hidden="true" data-user-content>
            {initials(name)}
          </span>
          <span className="user-menu-name who" data-user-content>
            {name}
          </span>
          <ChevronDown size={14} aria-hidden="true" />
        </button>
      }
    >
      <MenuLabel>
        <span className="user-menu-heading" data-user-content>
          {name}
        </span>
        <span className="user-menu-email">{email}</span>
        <span className="user-menu-email">{role}</span>
      </MenuLabel>
      <MenuSeparator />
      <MenuRadioGroup<Language | "system">
        label={
          <>
            <Languages size={12} aria-hidden="true" /> {t("userMenu.language")}
          </>
        }
        testId="language"
        value={language ?? "system"}
        onChange={(v) => onLanguage(v === "system" ? null : v)}
        options={[
          { value: "system", label: t("app.languageSystem") },
          { value: "ja", label: "日本語" },
          { value: "en", label: "English" },
        ]}
      />
      <MenuSeparator />
      <MenuRadioGroup<Theme>
        label={t("userMenu.theme")}
        testId="theme"
        value={theme}
        onChange={onTheme}
        options={[
          { value: "system", label: <><Monitor size={14} aria-hidden="true" /> {t("userMenu.themeSystem")}</> },
          { value: "light", label: <><Sun size={14} aria-hidden="true" /> {t("userMenu.themeLight")}</> },
          { value: "dark", label: <><Moon size={14} aria-hidden="true" /> {t("userMenu.themeDark")}</> },
        ]}
      />
      <MenuSeparator />
      <MenuItem icon={<LogOut size={14} />} onSelect={onSignOut} testId="sign-out">
        {t("app.signOut")}
      </MenuItem>
    </DropdownMenu>
  );
}
