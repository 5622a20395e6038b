import { CallerError } from "../../../src-shared/errors";
import { describeError } from "../../i18n/i18n";

type T = (key: string, options?: Record<string, unknown>) => string;

/**
 * A refusal on the phone numbers tab in the UI's language. A conflict without
 * a reason (an older server) would read as the generic "a change made
 * elsewhere": each action has one conflict that server reports, named by `action`.
 */
export function inboundError(t: T, error: unknown, action: "number" | "groupSave" | "groupDelete"): string {
  if (error instanceof CallerError && error.code === "conflict" && error.reason === undefined) return t(`inbound.admin.conflict.${action}`);
  return describeError(t, error);
}
