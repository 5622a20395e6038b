import { defaultOutcomeKeys, defaultOutcomeNames, type DefaultOutcomeKey } from "../server-api/company-admin";

/**
 * How a call's outcome is stored: a default outcome by its key (the app shows it in its own
 * language), an admin's typed name (a custom outcome, or a renamed default) as typed.
 */
export interface StoredOutcome {
  key: DefaultOutcomeKey | null;
  /** The admin's name; null for a default shown translated. */
  name: string | null;
}

const keyOfEnglishName = new Map<string, DefaultOutcomeKey>(defaultOutcomeKeys.map((key) => [defaultOutcomeNames[key], key]));

/** The English name of a default, for senders and readers that only know names. */
export function outcomeEnglishName(stored: StoredOutcome): string | null {
  return stored.name ?? (stored.key === null ? null : defaultOutcomeNames[stored.key]);
}

/**
 * Reads what a sender gave (`outcome` text, maybe `outcomeKey`) into the stored form. A sender
 * without keys (older servers, changes written before keys) gives a default's English name: read
 * as that default (a custom outcome can only take that name after the default was renamed).
 */
export function storedOutcome(outcome: string | null, outcomeKey: DefaultOutcomeKey | null | undefined): StoredOutcome {
  if (outcomeKey !== undefined && outcomeKey !== null) return { key: outcomeKey, name: outcome === null || outcome === defaultOutcomeNames[outcomeKey] ? null : outcome };
  if (outcome === null) return { key: null, name: null };
  const key = outcomeKey === undefined ? keyOfEnglishName.get(outcome) : undefined;
  return key === undefined ? { key: null, name: outcome } : { key, name: null };
}

/** The default keys whose label (in the reader's language) contains `text`, case- and width-insensitively. */
export function outcomeKeysMatching(text: string, labels: Partial<Record<DefaultOutcomeKey, string>>): DefaultOutcomeKey[] {
  const needle = fold(text);
  if (needle === "") return [];
  return defaultOutcomeKeys.filter((key) => {
    const label = labels[key];
    return label !== undefined && fold(label).includes(needle);
  });
}

const fold = (text: string): string => text.normalize("NFKC").toLocaleLowerCase().trim();
