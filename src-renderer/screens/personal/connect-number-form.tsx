import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Extension } from "../../../src-shared/api/areas/personal";
import { assertNever } from "../../../src-shared/assert-never";
import { countryOptions } from "./country-options";
import { checkPersonalNumber, formatWhileTyping, type PersonalNumberCheck } from "./number-check";

export interface ConnectRequest {
  country: string;
  number: string;
  extension: string | null;
}

export interface ConnectNumberFormProps {
  initialCountry: string;
  /** The connected number's extension, or the last request's: a re-verification reuses it. */
  initialExtension: string | null;
  /** The company's country: first in the list. */
  companyCountry: string;
  busy: boolean;
  /** Why the last request failed (from the server), already in words. */
  error: string | null;
  onSubmit: (request: ConnectRequest) => void;
  onCancel: () => void;
}

/** Country, number and optional extension; checked and formatted as typed, refused types named before any call. */
export function ConnectNumberForm({ initialCountry, initialExtension, companyCountry, busy, error, onSubmit, onCancel }: ConnectNumberFormProps) {
  const { t, i18n } = useTranslation();
  const [country, setCountry] = useState(initialCountry);
  const [number, setNumber] = useState("");
  const [extension, setExtension] = useState(initialExtension ?? "");
  const countries = useMemo(() => countryOptions(i18n.language, companyCountry), [i18n.language, companyCountry]);
  const check = useMemo(() => checkPersonalNumber(country, number), [country, number]);
  const extensionOk = extension === "" || Extension.safeParse(extension).success;
  const ready = check.kind === "ok" && extensionOk && !busy;

  return (
    <form
      className="connect-number"
      data-testid="connect-number-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) onSubmit({ country, number, extension: extension === "" ? null : extension });
      }}
    >
      <label htmlFor="personal-country">{t("personal.form.country")}</label>
      <select id="personal-country" data-testid="personal-country" value={country} onChange={(e) => setCountry(e.target.value)}>
        {countries.map((option) => (
          <option key={option.code} value={option.code}>
            {option.name} (+{option.callingCode})
          </option>
        ))}
      </select>
      <label htmlFor="personal-number">{t("personal.form.number")}</label>
      <input
        id="personal-number"
        data-testid="personal-number"
        inputMode="tel"
        autoComplete="tel"
        value={number}
        placeholder={t("personal.form.placeholder")}
        onChange={(e) => setNumber((previous) => formatWhileTyping(country, previous, e.target.value))}
        aria-invalid={check.kind === "refused"}
        aria-describedby="personal-number-check"
      />
      <p id="personal-number-check" data-testid="personal-number-check" data-kind={check.kind} className={check.kind === "refused" ? "error" : "hint"} role={check.kind === "refused" ? "alert" : undefined}>
        {checkText(t, check)}
      </p>
      <label htmlFor="personal-extension">{t("personal.form.extension")}</label>
      <input
        id="personal-extension"
        data-testid="personal-extension"
        inputMode="numeric"
        autoComplete="off"
        value={extension}
        onChange={(e) => setExtension(e.target.value.trim())}
        aria-invalid={!extensionOk}
        aria-describedby="personal-extension-hint"
      />
      <p id="personal-extension-hint" data-testid="personal-extension-hint" className={extensionOk ? "hint" : "error"} role={extensionOk ? undefined : "alert"}>
        {extensionOk ? t("personal.form.extensionHint") : t("personal.form.extensionInvalid")}
      </p>
      {error !== null && (
        <p className="error" role="alert" data-testid="personal-start-error">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={!ready}>
          {t("personal.form.call")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("personal.form.cancel")}
        </button>
      </div>
    </form>
  );
}

type T = (key: string, options?: Record<string, unknown>) => string;

function checkText(t: T, check: PersonalNumberCheck): string {
  switch (check.kind) {
    case "empty":
      return "";
    case "incomplete":
      return t("personal.form.incomplete");
    case "refused":
      return t(`personal.refusal.${check.reason}`);
    case "ok":
      return t("personal.form.willCall", { number: check.international, line: t(`personal.form.${check.line}`) });
    default:
      return assertNever(check, "number check");
  }
}
