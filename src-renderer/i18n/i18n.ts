import i18next, { type i18n } from "i18next";
import { initReactI18next } from "react-i18next";
import type { Language } from "../../src-shared/api/contract";
import { CallerError, errorFromText } from "../../src-shared/errors";
import { en } from "./en";
import { ja } from "./ja";
import { reasonText } from "./reason-text";

export const languages: readonly Language[] = ["ja", "en"];

/** The OS/browser language when the user has not chosen one: Japanese if preferred, else English. */
export function systemLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if (base === "ja" || base === "en") return base;
  }
  return "en";
}

export async function createI18n(language: Language): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.use(initReactI18next).init({
    resources: { en: { translation: en }, ja: { translation: ja } },
    lng: language,
    fallbackLng: "en",
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

/** Words for any failure, in the UI language: its reason where the server gave one this app knows, else its code. */
export function describeError(t: (key: string, options?: Record<string, unknown>) => string, error: unknown): string {
  if (error instanceof CallerError) {
    if (error.reason !== undefined) return reasonText(t, error.reason, error.params ?? {});
    // A wait in whole minutes, at least one: "try again in 1 minute" rather than a count of seconds.
    const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
    return t(`errors.${error.code}`, { message: error.message, minutes });
  }
  return t("errors.internal", { message: error instanceof Error ? error.message : String(error) });
}

/** A refusal the core kept as text (errorToText), in the UI language; older plain text as it is. */
export function describeStoredError(t: (key: string, options?: Record<string, unknown>) => string, text: string): string {
  const error = errorFromText(text);
  return error === null ? text : describeError(t, error);
}
