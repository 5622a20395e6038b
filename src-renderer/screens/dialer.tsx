import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DialCheck } from "../../src-shared/phone/dial-check";
import { describeError } from "../i18n/i18n";
import { regionName } from "../i18n/region-name";
import { LazyRateHint } from "./phone-parts";
import { useLatePaste } from "./use-late-paste";
import { useNumberTools } from "./use-number-tools";

const keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"];

export interface DialerProps {
  defaultCountry: string;
  callerEnabled: boolean;
  number: string;
  onNumberChange: (number: string) => void;
  onCall?: (e164: string) => void;
  /** Why the last Call press did not dial (not connected yet, a call is on). */
  callError?: string | null;
}

/** Number field and keypad; shows the E.164 it will dial, or why it cannot. */
export function Dialer({ defaultCountry, callerEnabled, number, onNumberChange, onCall, callError }: DialerProps) {
  const { t, i18n } = useTranslation();
  const [touched, setTouched] = useState(false);
  const { tools, failed } = useNumberTools();
  const paste = useLatePaste(tools, number, defaultCountry, onNumberChange);
  // Until the number rules arrive (just after the first paint) nothing is dialable; an empty field reads as always.
  const result = useMemo<DialCheck>(() => (tools ? tools.checkDialable(number, defaultCountry) : { ok: false, problem: "empty" }), [tools, number, defaultCountry]);
  const countryName = regionName(defaultCountry, i18n.language);
  const showProblem = tools !== null && !result.ok && (touched || number !== "" || result.problem === "emergency") && !(result.problem === "empty" && !touched);

  return (
    <section className="dialer" aria-labelledby="dialer-title">
      <h2 id="dialer-title">{t("dialer.title")}</h2>
      <label htmlFor="dial-number">{t("dialer.number")}</label>
      <input
        id="dial-number"
        data-testid="dial-number"
        inputMode="tel"
        autoComplete="off"
        value={number}
        placeholder={t("dialer.placeholder")}
        onChange={(e) => paste.onChange(e.target.value)}
        onPaste={paste.onPaste}
        onBlur={() => setTouched(true)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && result.ok && callerEnabled) onCall?.(result.e164);
        }}
        aria-invalid={showProblem}
        aria-describedby="dial-status"
      />
      <p id="dial-status" data-testid="dial-status" className={showProblem ? "error" : "hint"} role={showProblem ? "alert" : undefined}>
        {result.ok ? t("dialer.willDial", { number: result.e164 }) : showProblem ? t(`numberProblem.${result.problem}`) : t("dialer.defaultCountry", { country: countryName })}
      </p>
      {failed !== null && (
        <p className="error" role="alert">
          {describeError(t, failed)}
        </p>
      )}
      {/* Room for two lines of rate whether or not one shows yet: the keypad and Call never move while a number is typed. */}
      {callerEnabled && <div className="rate-hint-slot">{result.ok && <LazyRateHint e164={result.e164} />}</div>}
      <div className="keypad" role="group" aria-label={t("dialer.title")}>
        {keys.map((key) => (
          <button key={key} type="button" onClick={() => onNumberChange(number + key)}>
            {key}
          </button>
        ))}
      </div>
      <div className="dial-actions">
        <button type="button" aria-label={t("dialer.backspace")} onClick={() => onNumberChange(number.slice(0, -1))} disabled={number === ""}>
          ⌫
        </button>
        <button type="button" className="call" disabled={!result.ok || !callerEnabled} onClick={() => result.ok && onCall?.(result.e164)}>
          {t("dialer.call")}
        </button>
      </div>
      {callError && (
        <p className="error" role="alert" data-testid="dial-error">
          {callError}
        </p>
      )}
      {!callerEnabled && <p className="hint">{t("dialer.callerNotEnabled")}</p>}
    </section>
  );
}
