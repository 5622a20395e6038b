import { useTranslation } from "react-i18next";
import type { CreditsSummary } from "../../../src-shared/server-api/credits";
import { formatDateTime } from "../../../src-shared/format";
import { monthlyBonusPerUserMicros } from "../../../src-shared/credits/monthly-bonus";
import { useMoney } from "./use-money";

/** Bonus and purchased credit side by side, with what calls in progress hold and when the bonus expires. */
export function CreditBalances({ summary, timeZone }: { summary: CreditsSummary; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const money = useMoney(summary.currency);
  const available = summary.bonusMicros + summary.purchasedMicros - summary.reservedMicros;
  return (
    <section className="credit-balances" aria-labelledby="credit-balances-title">
      <h3 id="credit-balances-title">{t("credits.balances")}</h3>
      <dl>
        <div>
          <dt>{t("credits.bonus")}</dt>
          <dd data-testid="credit-bonus">{money(summary.bonusMicros)}</dd>
        </div>
        <div>
          <dt>{t("credits.purchased")}</dt>
          <dd data-testid="credit-purchased">{money(summary.purchasedMicros)}</dd>
        </div>
        {summary.reservedMicros > 0 && (
          <div>
            <dt>{t("credits.reserved")}</dt>
            <dd data-testid="credit-reserved">{money(summary.reservedMicros)}</dd>
          </div>
        )}
        <div>
          <dt>{t("credits.available")}</dt>
          <dd data-testid="credit-available">{money(available)}</dd>
        </div>
      </dl>
      <p className="hint" data-testid="bonus-expiry">
        {t("credits.bonusExpires", { date: formatDateTime(summary.bonusExpiresAt, i18n.language, timeZone) })}
        {" · "}
        {t("credits.monthlyBonus", {
          amount: money(summary.monthlyBonusMicros),
          count: summary.callerUsers,
          each: money(monthlyBonusPerUserMicros),
        })}
      </p>
    </section>
  );
}
