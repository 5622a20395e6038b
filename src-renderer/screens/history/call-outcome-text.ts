import type { HistoryCall } from "../../../src-shared/api/contract";
import type { OutcomeLabels } from "../../../src-shared/api/areas/crm";
import { defaultOutcomeKeys } from "../../../src-shared/server-api/company-admin";

type T = (key: string, options?: Record<string, unknown>) => string;

/** A call's outcome as the reader sees it: an admin's name as typed, a default in the UI language. */
export function callOutcomeText(t: T, call: Pick<HistoryCall, "outcome" | "outcomeKey">): string | null {
  if (call.outcome !== null) return call.outcome;
  return call.outcomeKey == null ? null : t(`company.outcomes.defaults.${call.outcomeKey}`);
}

/** The default outcomes' names in the UI language, for the core's search and outcome sort. */
export function outcomeLabels(t: T): OutcomeLabels {
  return Object.fromEntries(defaultOutcomeKeys.map((key) => [key, t(`company.outcomes.defaults.${key}`)]));
}
