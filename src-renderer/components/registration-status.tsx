import { useTranslation } from "react-i18next";
import { assertNever } from "../../src-shared/assert-never";
import { describeError } from "../i18n/i18n";
import { usePhone, usePhoneSnapshot } from "../phone/phone-context";

/** The phone's registration, always on screen: ready, connecting, reconnecting or why it is unavailable. */
export function RegistrationStatus() {
  const { t } = useTranslation();
  const phone = usePhone();
  const { registration } = usePhoneSnapshot();
  const text = (() => {
    switch (registration.status) {
      case "unregistered":
        return t("phone.unregistered");
      case "registering":
        return t("phone.registering");
      case "registered":
        return t("phone.registered");
      case "reconnecting":
        return t("phone.reconnecting");
      case "failed":
        return t("phone.failed", { reason: t(`callFailure.${registration.problem}`) });
      default:
        return assertNever(registration, "registration");
    }
  })();
  return (
    <p className={`registration registration-${registration.status}`} data-testid="registration" data-status={registration.status} role="status">
      <span className="dot" aria-hidden="true" />
      {text}
      {(registration.status === "failed" || registration.status === "reconnecting") && (
        <button type="button" onClick={() => phone.retry()}>
          {t("phone.retry")}
        </button>
      )}
    </p>
  );
}

export function PhoneUnavailable({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <p className="registration registration-failed" data-testid="registration" data-status="failed" role="status">
      {t("phone.noSipConfig", { message: describeError(t, error) })}
    </p>
  );
}
