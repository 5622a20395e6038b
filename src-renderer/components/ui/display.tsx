import { useTranslation } from "react-i18next";
import { formatDateTime, formatMoney } from "../../../src-shared/format";

/** An amount in micro-units of `currency`, through Intl in the UI language, digits aligned. */
export function Money({ micros, currency, className }: { micros: number; currency: string; className?: string }) {
  const { i18n } = useTranslation();
  return <span className={className ? `ui-money ${className}` : "ui-money"}>{formatMoney(micros, currency, i18n.language)}</span>;
}

/** A moment in the UI language, with the machine-readable time for assistive tech and copy. */
export function DateTime({ ms, timeZone }: { ms: number; timeZone?: string }) {
  const { i18n } = useTranslation();
  return <time dateTime={new Date(ms).toISOString()}>{formatDateTime(ms, i18n.language, timeZone)}</time>;
}
