import { useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { assertNever } from "../../src-shared/assert-never";
import { describeError } from "../i18n/i18n";
import type { Phone } from "../phone/phone";
import type { StatusPillState } from "./shell/status-pill";

const noSubscription = () => () => undefined;
const noSnapshot = () => null;

/**
 * The phone's registration as the top bar's status pill: ready, connecting,
 * reconnecting or why it is unavailable, with Retry where it helps. Null when
 * this window runs no phone (the tray, Caller not enabled).
 */
export function usePhoneStatus(phone: Phone | null, configError: unknown): StatusPillState | null {
  const { t } = useTranslation();
  const snapshot = useSyncExternalStore(phone ? phone.subscribe : noSubscription, phone ? phone.snapshot : noSnapshot);
  if (configError !== null) return { tone: "danger", label: t("phone.noSipConfig", { message: describeError(t, configError) }), testId: "registration", status: "failed" };
  if (!phone || !snapshot) return null;
  const { registration } = snapshot;
  const retry = { label: t("phone.retry"), onClick: () => phone.retry() };
  const base = { testId: "registration", status: registration.status };
  switch (registration.status) {
    case "unregistered":
      return { ...base, tone: "neutral", label: t("phone.unregistered") };
    case "registering":
      return { ...base, tone: "warning", label: t("phone.registering") };
    case "registered":
      return { ...base, tone: "success", label: t("phone.registered") };
    case "reconnecting":
      return { ...base, tone: "warning", label: t("phone.reconnecting"), action: retry };
    case "failed":
      return { ...base, tone: "danger", label: t("phone.failed", { reason: t(`callFailure.${registration.problem}`) }), action: retry };
    default:
      return assertNever(registration, "registration");
  }
}
