import { useTranslation } from "react-i18next";
import type { Company } from "../../../src-shared/domain/company";
import { CallingMethodSection } from "./calling-method-section";
import { ConnectedNumberSection } from "./connected-number-section";
import { RecordingCacheSection } from "./recording-cache-section";

/** Personal settings: the number calls present (connect, verify, change, disconnect) where phone links go, and recordings kept offline. */
export function PersonalSettings({ company, defaultCountry, onBack }: { company: Company; defaultCountry: string; onBack: () => void }) {
  const { t } = useTranslation();
  return (
    <main className="personal" data-testid="personal-settings">
      <h1>{t("personal.title")}</h1>
      <ConnectedNumberSection company={company} defaultCountry={defaultCountry} />
      <CallingMethodSection />
      <RecordingCacheSection />
      <button type="button" onClick={onBack}>
        {t("personal.back")}
      </button>
    </main>
  );
}
