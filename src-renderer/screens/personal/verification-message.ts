import { assertNever } from "../../../src-shared/assert-never";
import type { Verification } from "../../../src-shared/server-api/verification";
import { formatConnected } from "./number-check";

type T = (key: string, options?: Record<string, unknown>) => string;

/** A connected number for people, with the extension its call dials ("+81 3-1234-5678 ext. 123"). */
export function numberWithExtension(t: T, e164: string, extension: string | null): string {
  const number = formatConnected(e164);
  return extension === null ? number : t("personal.number.withExtension", { number, extension });
}

/** The verification's state in words, one message per state (and per failure reason). */
export function verificationMessage(t: T, verification: Pick<Verification, "state" | "failureReason" | "number" | "extension">): string {
  const number = formatConnected(verification.number);
  switch (verification.state) {
    case "calling":
      return t("personal.verify.calling", { number: numberWithExtension(t, verification.number, verification.extension) });
    case "ringing":
      return t("personal.verify.ringing", { number });
    case "answered":
      return verification.extension === null ? t("personal.verify.answered") : t("personal.verify.answeredExtension", { extension: verification.extension });
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
