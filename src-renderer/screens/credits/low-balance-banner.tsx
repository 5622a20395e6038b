import { useTranslation } from "react-i18next";
import type { CreditsSummary } from "../../../src-shared/server-api/credits";
import { useCoreQuery } from "../../query/core-query";
import { useMoney } from "./use-money";

/** Available credit (both buckets less what calls in progress hold) is under the admin's threshold. */
export function isLowBalance(summary: CreditsSummary): boolean {
  if (summary.lowBalanceThresholdMicros === null) return false;
  return summary.bonusMicros + summary.purchasedMicros - summary.reservedMicros < summary.lowBalanceThresholdMicros;
}

/**
 * For admins: a banner while credit is under the threshold. The credits query is
 * asked again on each change-feed sequence (useServerChangeRefresh at the root; the
 * server posts a "credits" change to admins on each crossing), so no separate event is needed.
 */
export function LowBalanceBanner({ onOpen }: { onOpen?: () => void }) {
  const { t } = useTranslation();
  // Offline or refused: no banner rather than a second error line (the Credits screen shows the error).
  const summary = useCoreQuery("getCredits", {}).data ?? null;

  const money = useMoney(summary?.currency ?? "USD");
  if (summary === null || !isLowBalance(summary) || summary.lowBalanceThresholdMicros === null) return null;
  return (
    <p className="low-balance-banner banner banner-danger" role="alert" data-testid="low-balance-banner">
      {t("credits.banner", {
        amount: money(summary.bonusMicros + summary.purchasedMicros - summary.reservedMicros),
        threshold: money(summary.lowBalanceThresholdMicros),
      })}
      {onOpen && (
        <button type="button" onClick={onOpen}>
          {t("credits.bannerOpen")}
        </button>
      )}
    </p>
  );
}
