import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { formatMoney } from "../../../src-shared/format";

/** Micro-dollars in the company's currency and the UI language. */
export function useMoney(currency: string): (micros: number) => string {
  const { i18n } = useTranslation();
  return useCallback((micros: number) => formatMoney(micros, currency, i18n.language), [currency, i18n.language]);
}
