import { useTranslation } from "react-i18next";
import type { Language } from "../../src-shared/api/contract";
import { Select } from "./ui/field";

/** The UI language: the system's, or one chosen (the operator's pages; the workspace has it in the user menu). */
export function LanguagePicker({ language, onLanguage }: { language: Language | null; onLanguage: (language: Language | null) => void }) {
  const { t } = useTranslation();
  return (
    <label className="language-picker">
      {t("app.language")}{" "}
      <Select data-testid="language" value={language ?? "system"} onChange={(e) => onLanguage(e.target.value === "system" ? null : (e.target.value as Language))}>
        <option value="system">{t("app.languageSystem")}</option>
        <option value="ja">日本語</option>
        <option value="en" lang="en">English</option>
      </Select>
    </label>
  );
}
