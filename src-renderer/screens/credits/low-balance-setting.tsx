import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { CreditsSummary } from "../../../src-shared/server-api/credits";
import { microsPerDollar, parseDollars } from "../../../src-shared/credits/micros";
import { useApi } from "../../api-context";
import { describeError } from "../../i18n/i18n";

/** The threshold below which admins are warned (in the app and by email, once per crossing); empty: no warning. */
export function LowBalanceSetting({ summary, onSaved }: { summary: CreditsSummary; onSaved: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [text, setText] = useState(() => dollarsText(summary.lowBalanceThresholdMicros));
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = text.trim();
    const parsed = trimmed === "" ? null : parseDollars(trimmed);
    if (parsed !== null && !parsed.ok) {
      setMessage({ error: true, text: t("credits.lowBalanceInvalid") });
      return;
    }
    setSaving(true);
    setMessage(null);
    api
      .setLowBalance({ thresholdMicros: parsed === null ? null : parsed.micros })
      .then(() => {
        setMessage({ error: false, text: t("credits.lowBalanceSaved") });
        onSaved();
      })
      .catch((e: unknown) => setMessage({ error: true, text: describeError(t, e) }))
      .finally(() => setSaving(false));
  };

  return (
    <section className="low-balance" aria-labelledby="low-balance-title">
      <h3 id="low-balance-title">{t("credits.lowBalanceTitle")}</h3>
      <form onSubmit={submit} data-testid="low-balance-form">
        <label>
          {t("credits.lowBalanceLabel")}
          <input name="threshold" inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" disabled={saving}>
          {t("credits.lowBalanceSave")}
        </button>
      </form>
      <p className="hint">{t("credits.lowBalanceHint")}</p>
      {message && (
        <p className={message.error ? "error" : "hint"} role={message.error ? "alert" : "status"} data-testid="low-balance-message">
          {message.text}
        </p>
      )}
    </section>
  );
}

/** 2500000 → "2.5": exact, through integer parts. */
export function dollarsText(micros: number | null): string {
  if (micros === null) return "";
  const whole = Math.floor(micros / microsPerDollar);
  const fraction = String(micros % microsPerDollar).padStart(6, "0").replace(/0+$/, "");
  return fraction === "" ? String(whole) : `${whole}.${fraction}`;
}
