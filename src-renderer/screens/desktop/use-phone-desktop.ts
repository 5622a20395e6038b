import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { PhoneState } from "../../../src-shared/api/areas/desktop";
import { assertNever } from "../../../src-shared/assert-never";
import type { CallerApi } from "../../bridge/api";
import { isLive } from "../../phone/call-state";
import type { PhoneSnapshot } from "../../phone/phone";
import { showNotice } from "./use-desktop-notices";
import { isTrayWindow } from "./use-workspace-desktop";

/**
 * The softphone's part in desktop integration: tells the core what it is doing
 * (the tray icon and "quit during a call?" follow it), and notifies a failed
 * call while the user is in another app.
 */
export function usePhoneDesktop(api: CallerApi, snapshot: PhoneSnapshot): void {
  const { t } = useTranslation();
  const registration = toRegistration(snapshot.registration.status);
  const inCall = isLive(snapshot.call);
  useEffect(() => {
    // Only the tray icon and the quit question read it, and the next change reports again.
    void api.reportPhoneState({ window: isTrayWindow() ? "tray" : "main", registration, inCall }).catch((e: unknown) => console.warn("[desktop] phone state not reported", e));
  }, [api, registration, inCall]);

  const call = snapshot.call;
  const notified = useRef<string | null>(null);
  useEffect(() => {
    // Once per failed call, not on every render of it.
    if (call.status !== "ended" || call.end.by !== "failure" || notified.current === call.callId) return;
    notified.current = call.callId;
    showNotice(t("desktop.notice.callFailed", { number: call.number, reason: t(`callFailure.${call.end.reason}`) }), "callFailed");
  }, [call, t]);
}

function toRegistration(status: PhoneSnapshot["registration"]["status"]): PhoneState["registration"] {
  switch (status) {
    case "registered":
      return "registered";
    case "failed":
      return "failed";
    case "unregistered":
      return "offline";
    case "registering":
    case "reconnecting":
      return "connecting";
    default:
      return assertNever(status, "registration status");
  }
}
