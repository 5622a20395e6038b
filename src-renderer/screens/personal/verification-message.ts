import { assertNever } from "../../../src-shared/assert-never";
import type { Verification } from "../../../src-shared/server-api/verification";
import { formatConnected } from "./number-check";

type T = (key: string, options?: Record<string, unknown>) => string;

/** The verification's state in words, one message per state (and per failure reason). */
export function verificationMessage(t: T, verification: Pick<Verification, "state" | "failureReason" | "number">): string {
  const number = formatConnected(verification.number);
  switch (verification.state) {
    case "calling":
      return t("personal.verify.calling", { number });
    case "ringing":
      return t("personal.verify.ringing", { number });
    case "answered":
      return t("personal.verify.answered");
    case "verified":
      return t("personal.verify.verified", { number });
    case "wrong_code":
      return t("personal.verify.wrong_code");
    case "no_answer":
      return t("personal.verify.no_answer");
    case "busy":
      return t("personal.verify.busy");
    case "failed":
      return t("personal.verify.failed", { reason: t(`personal.failureReason.${verification.failureReason ?? "unknown"}`) });
    case "expired":
      return t("personal.verify.expired");
    case "cancelled":
      return t("personal.verify.cancelled");
    default:
      return assertNever(verification.state, "verification state");
  }
}
