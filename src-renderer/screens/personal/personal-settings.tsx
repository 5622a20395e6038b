import { useTranslation } from "react-i18next";
import type { Company } from "../../../src-shared/domain/company";
import { CallingMethodSection } from "./calling-method-section";
import { ConnectedNumberSection } from "./connected-number-section";

/** Personal settings: the number calls present (connect, verify, change, disconnect) and where phone links go. */
export function PersonalSettings({ company, defaultCountry, onBack }: { company: Company; defaultCountry: string; onBack: () => void }) {
  const { t } = useTranslation();
  return (
    <main className="personal" data-testid="personal-settings">
      <h1>{t("personal.title")}</h1>
      <ConnectedNumberSection company={company} defaultCountry={defaultCountry} />
      <CallingMethodSection />
      <button type="button" onClick={onBack}>
        {t("personal.back")}
      </button>
    </main>
  );
}
