import { useTranslation } from "react-i18next";
import type { Company } from "../../../src-shared/domain/company";
import { CallingMethodSection } from "./calling-method-section";
import { ConnectedNumberSection } from "./connected-number-section";
import { RecordingCacheSection } from "./recording-cache-section";
import { GreetingsSection } from "../voicemail/greetings-section";
import { VoicemailEmailSection } from "./voicemail-email-section";

/** Personal settings: the number calls present (connect, verify, change, disconnect) where phone links go, voicemail greetings and whether voicemails are emailed, and recordings kept offline. */
export function PersonalSettings({ company, defaultCountry }: { company: Company; defaultCountry: string }) {
  const { t } = useTranslation();
  return (
    <section className="personal settings-group" data-testid="personal-settings" aria-labelledby="personal-title">
      <h2 id="personal-title" className="settings-group-title">
        {t("personal.title")}
      </h2>
      <ConnectedNumberSection company={company} defaultCountry={defaultCountry} />
      <CallingMethodSection />
      <GreetingsSection />
      <VoicemailEmailSection />
      <RecordingCacheSection />
    </section>
  );
}
