import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Company } from "../../../src-shared/domain/company";
import { CallerError } from "../../../src-shared/errors";
import { numberRefusals } from "../../../src-shared/server-api/verification";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";
import { ConnectNumberForm, type ConnectRequest } from "./connect-number-form";
import { formatConnected } from "./number-check";
import { useConnectedNumber } from "./use-connected-number";
import { numberWithExtension } from "./verification-message";
import { VerificationPanel } from "./verification-panel";

type T = (key: string, options?: Record<string, unknown>) => string;

/** The server names a refused number's type before the colon ("premium_rate: …"): say it as the form would. */
function startError(t: T, error: unknown): string {
  if (error instanceof CallerError && error.code === "invalid_number") {
    const reason = numberRefusals.find((r) => error.message.startsWith(`${r}:`));
    if (reason !== undefined) return t(`personal.refusal.${reason}`);
  }
  // The server's own check ("invalid_extension: …") or its schema's ("body/extension …").
  if (error instanceof CallerError && error.code === "bad_request" && /extension/.test(error.message)) return t("personal.form.extensionInvalid");
  return describeError(t, error);
}

/** Connected number: what it is, connect/change (country, number, verification call), disconnect. */
export function ConnectedNumberSection({ company, defaultCountry }: { company: Company; defaultCountry: string }) {
  const api = useApi();
  const { t } = useTranslation();
  const { connected, loadError, setActive, reload } = useConnectedNumber();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [lastRequest, setLastRequest] = useState<ConnectRequest | null>(null);

  const start = (request: ConnectRequest) => {
    setBusy(true);
    setError(null);
    setLastRequest(request);
    api
      .startVerification(request)
      .then((active) => {
        setActive(active);
        setEditing(false);
      })
      .catch((e: unknown) => {
        setError(startError(t, e));
        setEditing(true);
      })
      .finally(() => setBusy(false));
  };
  const run = (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    action()
      .catch((e: unknown) => setError(describeError(t, e)))
      .finally(() => setBusy(false));
  };

  const active = connected?.active ?? null;
  // A live verification, or one that just ended and has not been dismissed, takes the section.
  const showVerification = active !== null && !editing;

  return (
    <section className="personal-number" aria-labelledby="personal-number-title" data-testid="personal-number-section">
      <h2 id="personal-number-title">{t("personal.number.title")}</h2>
      <p className="hint">{t("personal.number.intro")}</p>
      {loadError !== null && connected === null && (
        <p className="error" role="alert">
          {describeError(t, loadError)}{" "}
          <button type="button" onClick={reload}>
            {t("personal.verify.tryAgain")}
          </button>
        </p>
      )}
      {connected === null && loadError === null && <p className="hint">{t("personal.number.loading")}</p>}
      {connected !== null && !showVerification && !editing && (
        <div className="connected-number" data-testid="connected-number" data-number={connected.number ?? ""}>
          {connected.number === null ? (
            <p>{t("personal.number.none")}</p>
          ) : (
            <p>
              <strong className="number">{numberWithExtension(t, connected.number, connected.extension)}</strong> <span className="success">✓ {t("personal.number.verified")}</span>
            </p>
          )}
          {confirming && connected.number !== null ? (
            <p role="alert">
              {t("personal.number.confirmDisconnect", { number: formatConnected(connected.number) })}{" "}
              <button type="button" className="danger" disabled={busy} onClick={() => run(() => api.disconnectNumber({}).then(() => setConfirming(false)))}>
                {t("personal.number.yesDisconnect")}
              </button>{" "}
              <button type="button" onClick={() => setConfirming(false)}>
                {t("personal.number.keep")}
              </button>
            </p>
          ) : (
            <div className="actions">
              <button type="button" className="primary" onClick={() => setEditing(true)}>
                {connected.number === null ? t("personal.number.connect") : t("personal.number.change")}
              </button>
              {connected.number !== null && (
                <button type="button" onClick={() => setConfirming(true)}>
                  {t("personal.number.disconnect")}
                </button>
              )}
            </div>
          )}
        </div>
      )}
      {connected !== null && editing && (
        <ConnectNumberForm
          initialCountry={lastRequest?.country ?? defaultCountry}
          // A re-verification starts from the extension the number was verified with.
          initialExtension={lastRequest?.extension ?? connected.extension}
          companyCountry={company.country}
          busy={busy}
          error={error}
          onSubmit={start}
          onCancel={() => {
            setEditing(false);
            setError(null);
          }}
        />
      )}
      {showVerification && (
        <VerificationPanel
          active={active}
          onCancel={() => run(() => api.cancelVerification({ id: active.verification.id }))}
          onTryAgain={() => (lastRequest === null ? setEditing(true) : start(lastRequest))}
          onDone={() => setActive(null)}
        />
      )}
      {error !== null && !editing && (
        <p className="error" role="alert" data-testid="personal-number-error">
          {error}
        </p>
      )}
    </section>
  );
}
