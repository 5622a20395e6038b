import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { formatMoney, formatRate } from "../../../src-shared/format";

/** Micro-dollars in the company's currency and the UI language, 2 decimals. */
export function useMoney(currency: string): (micros: number) => string {
  const { i18n } = useTranslation();
  return useCallback((micros: number) => formatMoney(micros, currency, i18n.language), [currency, i18n.language]);
}

/** A tariff's per-minute rate or fee, the one place more than 2 decimals are shown. */
export function useRateMoney(currency: string): (micros: number) => string {
  const { i18n } = useTranslation();
  return useCallback((micros: number) => formatRate(micros, currency, i18n.language), [currency, i18n.language]);
}
