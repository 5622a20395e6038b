import { useTranslation } from "react-i18next";
import { formatConnected } from "./number-check";

/** A user's connected number in a list (the admins' users list): formatted, or "none". */
export function ConnectedNumberBadge({ number }: { number: string | null }) {
  const { t } = useTranslation();
  return number === null ? (
    <span className="connected-number-badge none" data-testid="connected-number-badge" data-number="">
      {t("personal.badge.none")}
    </span>
  ) : (
    <span className="connected-number-badge" data-testid="connected-number-badge" data-number={number} title={t("personal.number.verified")}>
      ✓ {formatConnected(number)}
    </span>
  );
}
