import { useTranslation } from "react-i18next";
import type { ActiveVerification } from "../../../src-shared/api/areas/personal";
import { isFinalVerificationState } from "../../../src-shared/verification/verification-state";
import { verificationMessage } from "./verification-message";

export interface VerificationPanelProps {
  active: ActiveVerification;
  onCancel: () => void;
  onTryAgain: () => void;
  onDone: () => void;
}

/** The code, large, while the call is live; the state in words throughout; then Try again or Done. */
export function VerificationPanel({ active, onCancel, onTryAgain, onDone }: VerificationPanelProps) {
  const { t } = useTranslation();
  const { verification, code } = active;
  const final = isFinalVerificationState(verification.state);
  const verified = verification.state === "verified";
  return (
    <section className={`verification verification-${verification.state}`} data-testid="verification" data-state={verification.state} aria-live="polite">
      {!final && (
        <div className="verification-code-box">
          <span className="hint">{t("personal.verify.codeLabel")}</span>
          <output className="verification-code" data-testid="verification-code" aria-label={t("personal.verify.codeLabel")}>
            {code}
          </output>
          <span className="hint">{t("personal.verify.codeHint")}</span>
        </div>
      )}
      <p data-testid="verification-status" className={final && !verified ? "error" : verified ? "success" : undefined} role={final ? "status" : undefined}>
        {verificationMessage(t, verification)}
      </p>
      <div className="actions">
        {!final && (
          <button type="button" onClick={onCancel}>
            {t("personal.verify.cancel")}
          </button>
        )}
        {final && !verified && (
          <button type="button" className="primary" onClick={onTryAgain}>
            {t("personal.verify.tryAgain")}
          </button>
        )}
        {final && (
          <button type="button" onClick={onDone}>
            {t("personal.verify.done")}
          </button>
        )}
      </div>
    </section>
  );
}
