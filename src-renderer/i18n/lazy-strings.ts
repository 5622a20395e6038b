import { useTranslation } from "react-i18next";

/** An area's strings in both languages, kept out of the first paint and added when a screen that needs them loads. */
export interface LazyArea {
  en: object;
  ja: object;
}

/**
 * Adds `area` to the translations before the calling component's children
 * render (once: later calls find it there). Its screen is lazy-loaded, so its
 * words travel with it instead of with the first paint.
 */
export function useLazyStrings(area: LazyArea): void {
  const { i18n } = useTranslation();
  const [firstKey] = Object.keys(area.en);
  if (firstKey !== undefined && i18n.getResource("en", "translation", firstKey) !== undefined) return;
  i18n.addResourceBundle("en", "translation", area.en, true, false);
  i18n.addResourceBundle("ja", "translation", area.ja, true, false);
}
