import { useTranslation } from "react-i18next";
import { monthlyBonusPerUserMicros } from "../../../src-shared/credits/monthly-bonus";
import type { Plan } from "../../../src-shared/domain/company";
import { formatMoney } from "../../../src-shared/format";
import { purchasesArea } from "../../i18n/areas/purchases";
import { useLazyStrings } from "../../i18n/lazy-strings";

/** What Caller would bring, for an admin of a company whose plan has none. The upgrade itself is the provider's. */
export function UpgradePanel({ plan }: { plan: Plan }) {
  useLazyStrings(purchasesArea);
  const { t, i18n } = useTranslation();
  const planName = t(`plans.${plan}`);
  return (
    <section className="upgrade-panel" aria-labelledby="upgrade-title" data-testid="upgrade-panel">
      <h3 id="upgrade-title">{t("plan.upgradeTitle")}</h3>
      <p>{t("plan.upgradeIntro", { plan: planName })}</p>
      <ul>
        <li>{t("plan.upgradeCalls")}</li>
        <li>{t("plan.upgradeBonus", { amount: formatMoney(monthlyBonusPerUserMicros, "USD", i18n.language) })}</li>
        <li>{t("plan.upgradeRecording")}</li>
        <li>{t("plan.upgradeAdmin")}</li>
      </ul>
      <p className="hint">{t("plan.upgradeHow")}</p>
    </section>
  );
}

/**
 * In place of the dialer when the company's plan has no Caller: an admin sees
 * what the upgrade brings; anyone else is told plainly, with no "ask an admin
 * to add you" (no admin can add Caller to this plan).
 */
export function NoCaller({ plan, isAdmin }: { plan: Plan; isAdmin: boolean }) {
  useLazyStrings(purchasesArea);
  const { t } = useTranslation();
  if (isAdmin) return <UpgradePanel plan={plan} />;
  return (
    <section className="upgrade-panel" aria-labelledby="no-caller-title" data-testid="no-caller">
      <h3 id="no-caller-title">{t("plan.noCallerTitle")}</h3>
      <p>{t("plan.noCallerUser", { plan: t(`plans.${plan}`) })}</p>
    </section>
  );
}
