import { CallerError } from "../../../src-shared/errors";
import { describeError } from "../../i18n/i18n";

type T = (key: string, options?: Record<string, unknown>) => string;

/**
 * A refusal on the phone numbers tab in the UI's language. The generic
 * conflict text ("a change made elsewhere") would mislead here: each action
 * has one conflict the server reports, named by `action`.
 */
export function inboundError(t: T, error: unknown, action: "number" | "groupSave" | "groupDelete"): string {
  if (error instanceof CallerError && error.code === "conflict") return t(`inbound.admin.conflict.${action}`);
  return describeError(t, error);
}
